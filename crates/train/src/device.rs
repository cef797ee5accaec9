//! `--device`: a burn [`Device`] chosen at run time, with one clear line when the backend
//! is not compiled in or no such device is present.

use crate::error::{Error, Result};
use burn::tensor::{Device, Tensor};

/// The backends a lab can be asked to run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DeviceChoice {
    /// burn's pure-Rust CPU backend (flex), multi-threaded with SIMD. Always available.
    Cpu,
    /// Any GPU through wgpu (Metal, DX12, Vulkan): `--features wgpu`.
    Wgpu,
    /// wgpu pinned to Vulkan with SPIR-V shaders: `--features vulkan`.
    Vulkan,
    /// NVIDIA CUDA: `--features cuda` (needs the CUDA toolkit, and internet at build time).
    Cuda,
}

impl DeviceChoice {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            DeviceChoice::Cpu => "cpu",
            DeviceChoice::Wgpu => "wgpu",
            DeviceChoice::Vulkan => "vulkan",
            DeviceChoice::Cuda => "cuda",
        }
    }
}

/// The device for `choice`, made differentiable (`.autodiff()`) and checked to work: a
/// tiny tensor is created and read back, so a missing GPU shows up here as one line rather
/// than as a panic in the middle of training.
pub fn device(choice: DeviceChoice) -> Result<Device> {
    let device = raw_device(choice)?;
    probe(choice, &device)?;
    Ok(device.autodiff())
}

fn raw_device(choice: DeviceChoice) -> Result<Device> {
    match choice {
        DeviceChoice::Cpu => Ok(Device::flex()),
        #[cfg(feature = "wgpu")]
        DeviceChoice::Wgpu => Ok(Device::wgpu(Default::default())),
        #[cfg(feature = "vulkan")]
        DeviceChoice::Vulkan => Ok(Device::vulkan(Default::default())),
        #[cfg(feature = "cuda")]
        DeviceChoice::Cuda => Ok(Device::cuda(0)),
        #[allow(unreachable_patterns)] // every arm above may be compiled in
        other => Err(Error::BackendNotCompiled { backend: other.name() }),
    }
}

/// Create and read back one value; a backend that cannot start panics inside burn, which
/// this turns into [`Error::DeviceUnavailable`].
fn probe(choice: DeviceChoice, device: &Device) -> Result<()> {
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {})); // the panic message is reported below instead
    let outcome = std::panic::catch_unwind(|| Tensor::<1>::ones([1], device).into_scalar::<f32>());
    std::panic::set_hook(previous_hook);
    match outcome {
        Ok(1.0) => Ok(()),
        Ok(v) => Err(Error::DeviceUnavailable {
            backend: choice.name(),
            reason: format!("a test value read back as {v}"),
        }),
        Err(panic) => {
            let reason = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "the backend failed to start".into());
            Err(Error::DeviceUnavailable {
                backend: choice.name(),
                reason: reason.lines().next().unwrap_or("").to_string(),
            })
        }
    }
}

/// The generator every lab draws its own random numbers from (shuffling, sampling, toy
/// data): ChaCha8, seeded by [`seed_everything`], reproducible on every platform.
pub type SeededRng = rand_chacha::ChaCha8Rng;

/// A uniform draw in `[0, 1)` from 24 random bits (an f32's whole mantissa).
pub fn uniform(rng: &mut impl rand_core::Rng) -> f32 {
    (rng.next_u32() >> 8) as f32 / (1u32 << 24) as f32
}

/// Seed burn's generator on `device` (parameter initialisation, dropout) and return a
/// generator for everything else (shuffling, sampling), both from one `--seed`.
///
/// burn's generator is one per process: a run is reproducible as long as nothing else in
/// the process draws from it meanwhile (two trainings on parallel threads would interleave
/// their draws). A lab is one run per process, so this holds; tests that check
/// determinism run alone in their own test binary.
pub fn seed_everything(device: &Device, seed: u64) -> SeededRng {
    use rand_core::SeedableRng;
    device.seed(seed);
    rand_chacha::ChaCha8Rng::seed_from_u64(seed)
}
