//! Empty: the build script makes Cargo resolve the `[build-dependencies]`, which unify the
//! features of the dependencies that proc-macros and build scripts use.
fn main() {}
