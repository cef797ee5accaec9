//! The 13 effect folders and 5 pickup positions of EGFxSet, with the names each part of
//! the real dataset uses for them (folder, CSV, archive).

/// One of the 12 hardware effects, or the clean signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Effect {
    Clean,
    BluesDriver,
    TubeScreamer,
    Rat,
    Chorus,
    Flanger,
    Phaser,
    TapeEcho,
    DigitalDelay,
    SweepEcho,
    PlateReverb,
    HallReverb,
    SpringReverb,
}

/// The effect families: Day 3 classifies by these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EffectType {
    /// Clean: no effect (the CSV has no row for it).
    None,
    Distortion,
    Modulation,
    Delay,
    Reverb,
}

impl EffectType {
    /// All five, in a fixed order (used for class indices).
    pub const ALL: [EffectType; 5] = [
        EffectType::None,
        EffectType::Distortion,
        EffectType::Modulation,
        EffectType::Delay,
        EffectType::Reverb,
    ];

    /// The name the CSV uses (`"none"` for clean).
    pub fn name(self) -> &'static str {
        match self {
            EffectType::None => "none",
            EffectType::Distortion => "distortion",
            EffectType::Modulation => "modulation",
            EffectType::Delay => "delay",
            EffectType::Reverb => "reverb",
        }
    }

    /// Parse a CSV name (case-insensitive, surrounding spaces ignored).
    pub fn from_name(name: &str) -> Option<Self> {
        let name = name.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

impl Effect {
    /// All 13, in the order of the course's class indices.
    pub const ALL: [Effect; 13] = [
        Effect::Clean,
        Effect::BluesDriver,
        Effect::TubeScreamer,
        Effect::Rat,
        Effect::Chorus,
        Effect::Flanger,
        Effect::Phaser,
        Effect::TapeEcho,
        Effect::DigitalDelay,
        Effect::SweepEcho,
        Effect::PlateReverb,
        Effect::HallReverb,
        Effect::SpringReverb,
    ];

    /// The folder name in the dataset (and in track ids): `Digital Delay`, `RAT`, ...
    pub fn folder(self) -> &'static str {
        match self {
            Effect::Clean => "Clean",
            Effect::BluesDriver => "BluesDriver",
            Effect::TubeScreamer => "TubeScreamer",
            Effect::Rat => "RAT",
            Effect::Chorus => "Chorus",
            Effect::Flanger => "Flanger",
            Effect::Phaser => "Phaser",
            Effect::TapeEcho => "TapeEcho",
            Effect::DigitalDelay => "Digital Delay",
            Effect::SweepEcho => "Sweep Echo",
            Effect::PlateReverb => "Plate Reverb",
            Effect::HallReverb => "Hall Reverb",
            Effect::SpringReverb => "Spring Reverb",
        }
    }

    /// The name in `egfxset_metadata.csv`'s `Effect ` column (`RAT` is `distortion` there).
    pub fn name(self) -> &'static str {
        match self {
            Effect::Clean => "clean",
            Effect::BluesDriver => "blues driver",
            Effect::TubeScreamer => "tube screamer",
            Effect::Rat => "distortion",
            Effect::Chorus => "chorus",
            Effect::Flanger => "flanger",
            Effect::Phaser => "phaser",
            Effect::TapeEcho => "tape echo",
            Effect::DigitalDelay => "digital delay",
            Effect::SweepEcho => "sweep echo",
            Effect::PlateReverb => "plate reverb",
            Effect::HallReverb => "hall reverb",
            Effect::SpringReverb => "spring reverb",
        }
    }

    /// The effect family.
    pub fn effect_type(self) -> EffectType {
        match self {
            Effect::Clean => EffectType::None,
            Effect::BluesDriver | Effect::TubeScreamer | Effect::Rat => EffectType::Distortion,
            Effect::Chorus | Effect::Flanger | Effect::Phaser => EffectType::Modulation,
            Effect::TapeEcho | Effect::DigitalDelay | Effect::SweepEcho => EffectType::Delay,
            Effect::PlateReverb | Effect::HallReverb | Effect::SpringReverb => EffectType::Reverb,
        }
    }

    /// The Zenodo archive holding this folder (spaces become hyphens there).
    pub fn archive(self) -> String {
        format!("{}.zip", self.folder().replace(' ', "-"))
    }

    /// The archive's md5, from Zenodo record 7044411.
    pub fn archive_md5(self) -> &'static str {
        match self {
            Effect::BluesDriver => "b1d6dce9064a25a1cff2a0c40c30a2e4",
            Effect::Chorus => "3698b3b1756917f93dadf27517d48479",
            Effect::Clean => "cdb1b401960f56becc8640387910e78a",
            Effect::DigitalDelay => "4a25d57bcb0083667bade7b3c42460bc",
            Effect::Flanger => "f3f7b39c895a400d35c5b1314a1122bd",
            Effect::HallReverb => "c173bebdcbed50d4bc8803e0b30d6517",
            Effect::Phaser => "1842e2643dd34d7285a77506ca540df3",
            Effect::PlateReverb => "abbcc68d692f323e8af6aeb8d478c40d",
            Effect::Rat => "afe9fc757a51d04126c23159706f4e8e",
            Effect::SpringReverb => "21afc47594ed8f37db008f313e50c634",
            Effect::SweepEcho => "ea6dda440e9af6a19173facdf2bf17ac",
            Effect::TapeEcho => "77adf4a6a8ed4eb566b2b8e77735c7dc",
            Effect::TubeScreamer => "b9c46ed65037d0bd17bdf82dc3125beb",
        }
    }

    /// Find an effect by folder name, CSV name or a loose spelling (`tube-screamer`,
    /// `TubeScreamer`, `tube screamer`, `rat`).
    pub fn parse(text: &str) -> Option<Effect> {
        let squash =
            |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_ascii_lowercase();
        let wanted = squash(text);
        Self::ALL.into_iter().find(|e| squash(e.folder()) == wanted || squash(e.name()) == wanted)
    }

    /// The effect whose folder is `folder` exactly.
    pub fn from_folder(folder: &str) -> Option<Effect> {
        Self::ALL.into_iter().find(|e| e.folder() == folder)
    }
}

impl std::fmt::Display for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The five pickup selections of a Stratocaster, bridge to neck.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pickup {
    Bridge,
    BridgeMiddle,
    Middle,
    MiddleNeck,
    Neck,
}

impl Pickup {
    /// All five, bridge to neck.
    pub const ALL: [Pickup; 5] =
        [Pickup::Bridge, Pickup::BridgeMiddle, Pickup::Middle, Pickup::MiddleNeck, Pickup::Neck];

    /// The folder name: `Bridge`, `Bridge-Middle`, ...
    pub fn folder(self) -> &'static str {
        match self {
            Pickup::Bridge => "Bridge",
            Pickup::BridgeMiddle => "Bridge-Middle",
            Pickup::Middle => "Middle",
            Pickup::MiddleNeck => "Middle-Neck",
            Pickup::Neck => "Neck",
        }
    }

    /// The pickup whose folder is `folder`, also accepting lower case.
    pub fn parse(folder: &str) -> Option<Pickup> {
        Self::ALL.into_iter().find(|p| p.folder().eq_ignore_ascii_case(folder.trim()))
    }
}

impl std::fmt::Display for Pickup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.folder())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_real_dataset() {
        assert_eq!(Effect::DigitalDelay.archive(), "Digital-Delay.zip");
        assert_eq!(Effect::Rat.name(), "distortion");
        assert_eq!(Effect::parse("tube-screamer"), Some(Effect::TubeScreamer));
        assert_eq!(Effect::parse("RAT"), Some(Effect::Rat));
        assert_eq!(Effect::parse("Hall Reverb"), Some(Effect::HallReverb));
        assert_eq!(Effect::parse("wah"), None);
    }
}
