//! `cargo xtask workspace-hack`: rewrite `crates/workspace-hack/Cargo.toml` so that building
//! any one package compiles its third-party dependencies with the features that
//! `cargo test --workspace` gives them.
//!
//! Why: Cargo resolves features for the packages a command selects. `cargo test -p day3-mlp`
//! leaves out what xtask and the tests crate switch on (regex's unicode tables, rand's
//! thread_rng, three versions of syn...), so it compiles those crates, and everything above
//! them (burn included), a second time. A crate that every member depends on, asking for
//! each such dependency with the workspace's features, makes every selection resolve alike
//! (the "workspace-hack" of rustc and cargo-hakari, written out here without the tool).
//!
//! How: Cargo's unit graph (`--unit-graph`, unstable output, read through
//! `RUSTC_BOOTSTRAP=1`; nothing is built) of `cargo test --workspace --no-run`, then of
//! `cargo test -p M --no-run` and `cargo build -p M` for every member M. A third-party
//! library compiled by a member's build with features the workspace build does not use, or
//! on the other side (host or target), is listed with the workspace's features on the
//! workspace's side; so is a proc-macro or build script's dependency that the lint pass
//! (`cargo xtask test`'s clippy, GPU features on) compiles with more features. Repeated
//! until no build differs.
//!
//! It also writes the root manifest's block of build-time crates: the third-party libraries
//! that no build of ours (the workspace's tests, or dl4mir-train with the GPU features) links
//! into a program, only into proc-macros and build scripts. `[profile.dev.package."*"]`
//! would give them opt-level 3, which triples the compile time of syn and every derive
//! macro for code that runs once, at build time; the block gives them opt-level 0.

use crate::project_root;
use anyhow::{Context, Result, bail};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

const MANIFEST: &str = "crates/workspace-hack/Cargo.toml";
const BEGIN: &str = "# BEGIN GENERATED\n";
const END: &str = "# END GENERATED\n";

/// A third-party library as Cargo compiles it: name, version, features. `host` marks the
/// copy built for proc-macros and build scripts (Cargo resolves their features apart).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Unit {
    name: String,
    version: String,
    host: bool,
    features: Vec<String>,
}

pub fn run(check: bool) -> Result<()> {
    settle_features(check)?;
    build_time_profile(check)
}

/// Rewrite (or check) the hack's dependency list until every member's build compiles its
/// dependencies as the workspace build does.
fn settle_features(check: bool) -> Result<()> {
    let members = members()?;
    let mut wanted: BTreeMap<(String, String, bool), BTreeSet<String>> = current_entries()?;
    for round in 1..=4 {
        let reference = units(&["test", "--workspace", "--no-run"])?;
        let mut missing = BTreeSet::new();
        for member in &members {
            for args in [vec!["test", "-p", member, "--no-run"], vec!["build", "-p", member]] {
                missing.extend(units(&args)?.into_iter().filter(|u| !covered(&reference, u)));
            }
        }
        // The lint pass (GPU features on) compiles proc-macros and build scripts' dependencies
        // (its libraries are only checked): those the workspace build has host-only (syn,
        // serde_derive, ...), given the same features, are compiled once for both. (A library
        // the workspace build shares with its targets has their debug info: never the same.)
        let mut lint = crate::test::clippy_args()?;
        lint[0] = "check".into(); // clippy's build is cargo check's (the unit graph is cargo's)
        let lint_host =
            units(&lint.iter().map(String::as_str).collect::<Vec<_>>())?.into_iter().filter(|u| {
                u.host && reference.iter().any(|r| r.name == u.name && r.version == u.version && r.host)
            });
        missing.extend(lint_host.filter(|u| !covered(&reference, u)));
        if missing.is_empty() {
            println!("every member's build compiles its dependencies as the workspace build does");
            return Ok(());
        }
        if check {
            let list: Vec<String> = missing.iter().map(|u| format!("{} {}", u.name, u.version)).collect();
            bail!(
                "{MANIFEST} is stale: building one package compiles {} again with other features; \
                 run `cargo xtask workspace-hack`",
                list.join(", ")
            );
        }
        for unit in &missing {
            // The workspace's features for that library on that side (host or target), or on
            // the other side where the workspace build shares one copy between the two.
            let same_library = |r: &&Unit| r.name == unit.name && r.version == unit.version;
            let on_side: Vec<&Unit> =
                reference.iter().filter(same_library).filter(|r| r.host == unit.host).collect();
            // A member's host-only copy of a library the workspace build shares with its
            // targets (with the targets' debug info) is listed on the target side, so that the
            // member's build shares it too.
            let (sources, host) = if on_side.is_empty() {
                (reference.iter().filter(same_library).collect(), !unit.host)
            } else {
                (on_side, unit.host)
            };
            // With the unit's own (the lint pass's host crates use more than the workspace's).
            let features = sources
                .iter()
                .flat_map(|r| r.features.iter().cloned())
                .chain(unit.features.iter().cloned())
                .collect::<BTreeSet<_>>();
            wanted.entry((unit.name.clone(), unit.version.clone(), host)).or_default().extend(features);
        }
        write_entries(&wanted)?;
        println!("round {round}: {} dependencies listed", wanted.len());
    }
    bail!("the workspace-hack did not settle in 4 rounds: see {MANIFEST}")
}

/// The workspace's members, by name, except the hack itself.
fn members() -> Result<Vec<String>> {
    let output = cargo(&["metadata", "--no-deps", "--format-version", "1"])?;
    let metadata: serde_json::Value = serde_json::from_slice(&output)?;
    Ok(metadata["packages"]
        .as_array()
        .context("cargo metadata lists packages")?
        .iter()
        .filter_map(|p| p["name"].as_str().map(String::from))
        .filter(|name| name != "dl4mir-workspace-hack")
        .collect())
}

/// The third-party libraries a cargo command would compile, from its unit graph.
fn units(args: &[&str]) -> Result<Vec<Unit>> {
    let mut all = args.to_vec();
    all.extend(["--unit-graph", "-Z", "unstable-options"]);
    let graph: serde_json::Value = serde_json::from_slice(&cargo(&all)?)?;
    let mut found = Vec::new();
    for unit in graph["units"].as_array().context("a unit graph has units")? {
        let (Some(id), Some(kinds)) = (unit["pkg_id"].as_str(), unit["target"]["kind"].as_array()) else {
            continue;
        };
        let library = kinds.iter().any(|k| k == "lib" || k == "proc-macro");
        let Some(package) = id.strip_prefix("registry+").and_then(|id| id.split('#').nth(1)) else {
            continue;
        };
        if !library || unit["mode"] != "build" {
            continue;
        }
        let (name, version) = package.split_once('@').context("a package id names a version")?;
        found.push(Unit {
            name: name.into(),
            version: version.into(),
            // Host units (build scripts' and proc-macros' dependencies) carry no debug info.
            host: unit["profile"]["debuginfo"] == 0,
            features: unit["features"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f.as_str().map(String::from))
                .collect(),
        });
    }
    Ok(found)
}

/// Whether the workspace build compiles this library with these features on the same side.
/// The side matters: where the workspace build shares one copy between host and target, that
/// copy has the targets' debug info, and a member's host-only copy (none) is another build.
fn covered(reference: &[Unit], unit: &Unit) -> bool {
    reference.iter().any(|r| {
        r.name == unit.name && r.version == unit.version && r.features == unit.features && r.host == unit.host
    })
}

const ROOT_MANIFEST: &str = "Cargo.toml";
const PROFILE_BEGIN: &str = "# BEGIN GENERATED build-time crates\n";
const PROFILE_END: &str = "# END GENERATED build-time crates\n";

/// Rewrite (or check) the root manifest's opt-level 0 entries for the build-time crates.
/// Proc-macros that run long enough to be worth optimising: left out of the block.
const KERNEL_EXPANDERS: [&str; 2] = ["cubecl-macros", "cubecl-macros-internal"];

fn build_time_profile(check: bool) -> Result<()> {
    // The crates of the workspace build and of the GPU build (which the lint pass checks),
    // each with whether some copy is linked into a program (a GPU program's speed counts).
    // Measured on `cargo check -p dl4mir-train --features wgpu,vulkan` from an empty target/:
    // the GPU stack's build-time crates at opt-level 0 (bindgen, prettyplease, strum, prost,
    // miette, pliron, turso's macros...) took it from 1,472 to 994 s of one core, 740 to
    // 501 s on two cores, with no crate that uses them slower.
    let mut linked: BTreeMap<String, bool> = BTreeMap::new();
    let gpu = ["build", "-p", "dl4mir-train", "--features", crate::test::TRAIN_GPU_FEATURES];
    for args in [&["test", "--workspace", "--no-run"][..], &gpu[..]] {
        for (name, host) in registry_units(args)? {
            *linked.entry(name).or_default() |= !host;
        }
    }
    // cubecl's macros expand every GPU kernel of burn (thousands of `#[cube]` functions):
    // they keep opt-level 3.
    for expander in KERNEL_EXPANDERS {
        linked.insert(expander.to_string(), true);
    }
    let mut block = String::from("[profile.dev.package]\n");
    for (name, _) in linked.iter().filter(|(_, linked)| !**linked) {
        block.push_str(&format!("{name}.opt-level = 0\n"));
    }
    let path = project_root().join(ROOT_MANIFEST);
    let text = std::fs::read_to_string(&path)?;
    let (head, rest) =
        text.split_once(PROFILE_BEGIN).context("Cargo.toml has a block of build-time crates")?;
    let (current, tail) = rest.split_once(PROFILE_END).context("the block of build-time crates is closed")?;
    if current == block {
        println!("{} build-time crates compile unoptimised", block.lines().count() - 1);
        return Ok(());
    }
    if check {
        bail!("Cargo.toml's block of build-time crates is stale: run `cargo xtask workspace-hack`");
    }
    std::fs::write(&path, format!("{head}{PROFILE_BEGIN}{block}{PROFILE_END}{tail}"))?;
    println!("Cargo.toml: {} build-time crates listed", block.lines().count() - 1);
    Ok(())
}

/// Every third-party package a cargo command would compile (libraries, proc-macros, build
/// scripts), each with whether that unit is built for the host (no debug info) or a target.
fn registry_units(args: &[&str]) -> Result<Vec<(String, bool)>> {
    let mut all = args.to_vec();
    all.extend(["--unit-graph", "-Z", "unstable-options"]);
    let graph: serde_json::Value = serde_json::from_slice(&cargo(&all)?)?;
    let mut found = Vec::new();
    for unit in graph["units"].as_array().context("a unit graph has units")? {
        let Some(package) = unit["pkg_id"]
            .as_str()
            .and_then(|id| id.strip_prefix("registry+"))
            .and_then(|id| id.split('#').nth(1))
        else {
            continue;
        };
        if unit["mode"] == "run-custom-build" {
            continue; // running a build script compiles nothing
        }
        let name = package.split_once('@').context("a package id names a version")?.0;
        found.push((name.to_string(), unit["profile"]["debuginfo"] == 0));
    }
    Ok(found)
}

/// Run cargo in the workspace and return its standard output.
fn cargo(args: &[&str]) -> Result<Vec<u8>> {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(project_root())
        .env("RUSTC_BOOTSTRAP", "1") // for --unit-graph only: nothing is compiled
        .output()
        .with_context(|| format!("cannot run cargo {}", args.join(" ")))?;
    anyhow::ensure!(
        output.status.success(),
        "`cargo {}` failed:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(output.stdout)
}

type Entries = BTreeMap<(String, String, bool), BTreeSet<String>>;

/// The entries the manifest lists now (so a regeneration only ever adds).
fn current_entries() -> Result<Entries> {
    let text = std::fs::read_to_string(project_root().join(MANIFEST))?;
    let manifest: toml_lite::Manifest = toml_lite::parse(&text);
    Ok(manifest)
}

/// Write the generated block of the manifest.
fn write_entries(entries: &Entries) -> Result<()> {
    let path = project_root().join(MANIFEST);
    let text = std::fs::read_to_string(&path)?;
    let (head, rest) = text.split_once(BEGIN).context("the manifest has a generated block")?;
    let (_, tail) = rest.split_once(END).context("the generated block is closed")?;
    let mut block = String::new();
    for (section, host) in [("[dependencies]", false), ("[build-dependencies]", true)] {
        block.push_str(section);
        block.push('\n');
        let side: Vec<_> = entries.iter().filter(|((_, _, h), _)| *h == host).collect();
        for ((name, version, _), features) in &side {
            let versions = side.iter().filter(|((n, _, _), _)| n == name).count();
            let key =
                if versions > 1 { format!("{name}-{}", version.replace('.', "_")) } else { name.clone() };
            let rename = if versions > 1 { format!("package = \"{name}\", ") } else { String::new() };
            let default = features.contains("default");
            let listed: Vec<String> =
                features.iter().filter(|f| *f != "default").map(|f| format!("\"{f}\"")).collect();
            block.push_str(&format!(
                "{key} = {{ {rename}version = \"{version}\", default-features = {default}, features = [{}] }}\n",
                listed.join(", ")
            ));
        }
        block.push('\n');
    }
    std::fs::write(&path, format!("{head}{BEGIN}{}{END}{tail}", block.trim_end().to_owned() + "\n"))?;
    Ok(())
}

/// Just enough TOML to read back the lines this module writes.
mod toml_lite {
    use super::Entries;

    pub type Manifest = Entries;

    pub fn parse(text: &str) -> Manifest {
        let mut entries = Manifest::new();
        let mut host = false;
        for line in text.lines() {
            match line.trim() {
                "[dependencies]" => host = false,
                "[build-dependencies]" => host = true,
                line if line.contains("version = \"") => {
                    let key = line.split_whitespace().next().unwrap_or_default();
                    let name = quoted_after(line, "package = ").unwrap_or(key.to_string());
                    let Some(version) = quoted_after(line, "version = ") else { continue };
                    let features = line
                        .split_once("features = [")
                        .map(|(_, rest)| rest.split(']').next().unwrap_or_default())
                        .unwrap_or_default()
                        .split(',')
                        .map(|f| f.trim().trim_matches('"').to_string())
                        .filter(|f| !f.is_empty());
                    let mut set: std::collections::BTreeSet<String> = features.collect();
                    if line.contains("default-features = true") {
                        set.insert("default".into());
                    }
                    entries.insert((name, version, host), set);
                }
                _ => {}
            }
        }
        entries
    }

    fn quoted_after(line: &str, prefix: &str) -> Option<String> {
        let rest = line.split_once(prefix)?.1.strip_prefix('"')?;
        Some(rest.split('"').next()?.to_string())
    }
}
