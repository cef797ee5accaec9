//! Where datasets live: `--data-home`, else `DL4MIR_DATA_HOME`, else `~/mir_datasets`
//! (mirdata's default), with EGFxSet in `egfxset/` under it.

use std::path::PathBuf;

/// The environment variable that sets the data home.
pub const DATA_HOME_VAR: &str = "DL4MIR_DATA_HOME";

/// The data home: `explicit` if given, else `$DL4MIR_DATA_HOME`, else `~/mir_datasets`.
pub fn data_home(explicit: Option<PathBuf>) -> PathBuf {
    explicit
        .or_else(|| std::env::var_os(DATA_HOME_VAR).filter(|v| !v.is_empty()).map(PathBuf::from))
        .unwrap_or_else(|| {
            let home =
                std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")).unwrap_or_default();
            PathBuf::from(home).join("mir_datasets")
        })
}

/// The EGFxSet folder under a data home.
pub fn egfxset_dir(data_home: &std::path::Path) -> PathBuf {
    data_home.join("egfxset")
}
