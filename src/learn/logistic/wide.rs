//! Runs a piece of numeric code compiled for 256-bit vectors (AVX2) when the CPU has them.
//!
//! What it is for: the logistic model's per-feature loops (the scaler's Welford update and
//! transform, the SGD step) divide and take square roots per feature; the portable x86-64
//! build may only use 128-bit SSE2, where the compiler keeps those loops scalar. Compiled
//! for AVX2 they run four features at a time. Every operation is the same IEEE operation on
//! the same values in the same order per feature (Rust never contracts a multiply and an add
//! into a fused one), so the results are the same bit for bit; only the speed differs.
//! What it is not: hand-written intrinsics; the compiler vectorizes the plain loops.

/// Calls `f`, compiled with AVX2 enabled when the running CPU supports it. `f` should be a
/// closure whose body holds the loops (it is inlined into the AVX2 function).
#[inline(always)]
pub(super) fn with_wide_vectors<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: `avx2` only requires the AVX2 target feature, detected just above.
            return unsafe { avx2(f) };
        }
    }
    f()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn avx2<R>(f: impl FnOnce() -> R) -> R {
    f()
}
