//! The adjusted Rand index (Hubert & Arabie, 1985): agreement of two labelings, corrected for
//! chance (1 = identical up to renaming, about 0 for independent labelings).
//!
//! What it is for: scoring learned personas against the simulator's true personas.
//! What it is not: a hot-path function (it allocates a contingency table).

/// The adjusted Rand index of two labelings of the same items; 1.0 when both put every item in
/// one group (or there are fewer than two items), as scikit-learn does.
///
/// # Examples
/// ```
/// use leadstream::learn::cluster::adjusted_rand_index;
/// assert_eq!(adjusted_rand_index(&[0, 0, 1, 1], &[5, 5, 7, 7]), 1.0);
/// assert!(adjusted_rand_index(&[0, 0, 1, 1], &[0, 1, 0, 1]) < 0.0);
/// ```
pub fn adjusted_rand_index(a: &[usize], b: &[usize]) -> f64 {
    let n = a.len().min(b.len());
    if n < 2 {
        return 1.0;
    }
    let ka = a[..n].iter().copied().max().unwrap_or(0) + 1;
    let kb = b[..n].iter().copied().max().unwrap_or(0) + 1;
    let mut table = vec![0_u64; ka * kb];
    for (&x, &y) in a.iter().zip(b).take(n) {
        table[x * kb + y] += 1;
    }
    let pairs = |c: u64| (c * c.saturating_sub(1)) as f64 / 2.0;
    let sum_cells: f64 = table.iter().map(|&c| pairs(c)).sum();
    let sum_a: f64 = (0..ka)
        .map(|i| pairs(table[i * kb..(i + 1) * kb].iter().sum()))
        .sum();
    let sum_b: f64 = (0..kb)
        .map(|j| pairs((0..ka).map(|i| table[i * kb + j]).sum()))
        .sum();
    let total = pairs(n as u64);
    let expected = sum_a * sum_b / total;
    let max = 0.5 * (sum_a + sum_b);
    if (max - expected).abs() < f64::EPSILON {
        return 1.0;
    }
    (sum_cells - expected) / (max - expected)
}
