//! ADWIN's bucket structure: the exponential histogram of Datar et al. (2002) as used by ADWIN2
//! (Bifet & Gavaldà, 2007).
//!
//! What it is for: storing a window of `W` values in `O(M log(W/M))` summaries. Row `r` holds up to
//! `max_buckets` summaries (sum and sum of squared deviations) of `2^r` consecutive values each,
//! oldest first; when a row reaches `max_buckets + 1` summaries its two oldest merge into one
//! summary of the next row. Rows are fixed-capacity ring buffers in two flat vectors, so an update
//! never shifts summaries and never allocates; a row is added only when the window doubles.
//! What it is not: it keeps no window totals and makes no drift decision; see [`super::adwin`].

use serde::{Deserialize, Serialize};

/// Rows of bucket summaries; row `r` summarises `2^r` values per bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ExponentialHistogram {
    /// Slots per row: `max_buckets + 1` (a row briefly holds one summary too many before merging).
    row_capacity: usize,
    /// Per row in use: where its oldest summary sits. Rows are ring buffers, so dropping the
    /// oldest summaries moves this index instead of shifting the others.
    heads: Vec<usize>,
    /// Per row in use: how many summaries it holds. `lens.len()` is the number of rows in use.
    lens: Vec<usize>,
    /// Bucket sums, row-major with stride `row_capacity`.
    totals: Vec<f64>,
    /// Bucket sums of squared deviations from the bucket mean, laid out like `totals`.
    variances: Vec<f64>,
}

impl ExponentialHistogram {
    /// An empty histogram whose rows hold at most `max_buckets` summaries at rest.
    pub(crate) fn new(max_buckets: usize) -> Self {
        let row_capacity = max_buckets + 1;
        Self {
            row_capacity,
            heads: vec![0],
            lens: vec![0],
            totals: vec![0.0; row_capacity],
            variances: vec![0.0; row_capacity],
        }
    }

    /// Empties the histogram, keeping its allocations.
    pub(crate) fn clear(&mut self) {
        self.truncate_rows(1);
        self.heads[0] = 0;
        self.lens[0] = 0;
    }

    /// Number of rows in use (at least one).
    #[inline]
    pub(crate) fn n_rows(&self) -> usize {
        self.lens.len()
    }

    /// The bucket sums of row `row`, oldest first, as the two contiguous runs of its ring.
    #[inline]
    pub(crate) fn row_totals(&self, row: usize) -> (&[f64], &[f64]) {
        let base = row * self.row_capacity;
        let head = self.heads[row];
        let end = head + self.lens[row];
        if end <= self.row_capacity {
            (&self.totals[base + head..base + end], &[])
        } else {
            (
                &self.totals[base + head..base + self.row_capacity],
                &self.totals[base..base + end - self.row_capacity],
            )
        }
    }

    /// Appends one value (a bucket of size 1, no variance) and merges overflowing rows upwards.
    #[inline]
    pub(crate) fn push(&mut self, value: f64) {
        self.append(0, value, 0.0);
        let mut row = 0;
        while self.lens[row] == self.row_capacity {
            self.merge_oldest_pair(row);
            row += 1;
        }
    }

    /// Removes the oldest bucket; returns its (size, sum, sum of squared deviations).
    /// `None` when the histogram is empty.
    pub(crate) fn pop_oldest(&mut self) -> Option<(f64, f64, f64)> {
        let row = self.n_rows() - 1;
        if self.lens[row] == 0 {
            return None;
        }
        let slot = self.slot(row, 0);
        let popped = (bucket_size(row), self.totals[slot], self.variances[slot]);
        self.drop_front(row, 1);
        // Emptied oldest rows go, so the oldest row is never empty while values remain. (With
        // max_buckets = 1 a middle row can be empty; River leaves it last and would then read it.)
        let mut rows = self.n_rows();
        while rows > 1 && self.lens[rows - 1] == 0 {
            rows -= 1;
        }
        self.truncate_rows(rows);
        Some(popped)
    }

    /// Index in `totals` of the `k`-th oldest summary of `row` (`k < row_capacity`).
    #[inline]
    fn slot(&self, row: usize, k: usize) -> usize {
        let mut i = self.heads[row] + k;
        if i >= self.row_capacity {
            i -= self.row_capacity;
        }
        row * self.row_capacity + i
    }

    #[inline]
    fn append(&mut self, row: usize, total: f64, variance: f64) {
        if row == self.n_rows() {
            self.heads.push(0);
            self.lens.push(0);
            self.totals
                .resize(self.totals.len() + self.row_capacity, 0.0);
            self.variances
                .resize(self.variances.len() + self.row_capacity, 0.0);
        }
        let slot = self.slot(row, self.lens[row]);
        self.totals[slot] = total;
        self.variances[slot] = variance;
        self.lens[row] += 1;
    }

    /// Merges the two oldest buckets of `row` into one bucket of the next row.
    #[inline]
    fn merge_oldest_pair(&mut self, row: usize) {
        let (s0, s1) = (self.slot(row, 0), self.slot(row, 1));
        let n = bucket_size(row);
        let inv_n = bucket_size_recip(row);
        let (t0, t1) = (self.totals[s0], self.totals[s1]);
        let (v0, v1) = (self.variances[s0], self.variances[s1]);
        // River divides by n; n is a power of two, so multiplying by its exact reciprocal gives
        // the same correctly rounded result, without a division.
        let gap = t0 * inv_n - t1 * inv_n;
        // Chan et al.'s pairwise update for two halves of equal size n; the operation order is
        // River's, so the merged variance is bit-identical to its.
        let merged_variance = v0 + v1 + n * 0.5 * gap * gap;
        self.append(row + 1, t0 + t1, merged_variance);
        self.drop_front(row, 2);
    }

    #[inline]
    fn drop_front(&mut self, row: usize, count: usize) {
        let mut head = self.heads[row] + count;
        if head >= self.row_capacity {
            head -= self.row_capacity;
        }
        self.heads[row] = head;
        self.lens[row] -= count;
    }

    fn truncate_rows(&mut self, rows: usize) {
        self.heads.truncate(rows);
        self.lens.truncate(rows);
        self.totals.truncate(rows * self.row_capacity);
        self.variances.truncate(rows * self.row_capacity);
    }
}

/// Number of values summarised by one bucket of row `row`: `2^row`, built from its exponent bits.
#[inline]
pub(crate) fn bucket_size(row: usize) -> f64 {
    // Rows never exceed 63: the window would need 2^63 values first.
    f64::from_bits((1023 + row.min(63) as u64) << 52)
}

/// `1 / bucket_size(row)`, exactly (a power of two).
#[inline]
pub(crate) fn bucket_size_recip(row: usize) -> f64 {
    f64::from_bits((1023 - row.min(63) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(h: &ExponentialHistogram, r: usize) -> Vec<f64> {
        let (a, b) = h.row_totals(r);
        a.iter().chain(b).copied().collect()
    }

    fn contents(h: &ExponentialHistogram) -> Vec<Vec<f64>> {
        (0..h.n_rows()).map(|r| row(h, r)).collect()
    }

    #[test]
    fn bucket_sizes_are_exact_powers_of_two() {
        for row in 0..64 {
            assert_eq!(bucket_size(row), 2_f64.powi(row as i32));
            assert_eq!(bucket_size_recip(row) * bucket_size(row), 1.0);
        }
    }

    #[test]
    fn merges_oldest_pair_when_a_row_overflows() {
        let mut h = ExponentialHistogram::new(2);
        for v in [1.0, 2.0, 3.0] {
            h.push(v);
        }
        // Row 0 reached 3 = max_buckets + 1 summaries: 1 and 2 merged into a bucket of size 2.
        assert_eq!(contents(&h), vec![vec![3.0], vec![3.0]]);
        h.push(4.0);
        h.push(5.0);
        // Row 0 overflowed again (3, 4, 5): 3+4 moved up behind the older 1+2.
        assert_eq!(contents(&h), vec![vec![5.0], vec![3.0, 7.0]]);
    }

    #[test]
    fn merges_cascade_and_keep_the_sum() {
        let mut h = ExponentialHistogram::new(2);
        for v in 1..=20 {
            h.push(f64::from(v));
        }
        let mut sum = 0.0;
        let mut count = 0.0;
        for r in 0..h.n_rows() {
            let totals = row(&h, r);
            assert!(totals.len() <= 2);
            sum += totals.iter().sum::<f64>();
            count += bucket_size(r) * totals.len() as f64;
        }
        assert_eq!(sum, 210.0);
        assert_eq!(count, 20.0);
    }

    #[test]
    fn merged_variance_is_the_sum_of_squared_deviations() {
        let mut h = ExponentialHistogram::new(1);
        h.push(1.0);
        h.push(3.0);
        // One bucket of size 2 holding 1 and 3: mean 2, squared deviations 1 + 1.
        assert_eq!(h.pop_oldest(), Some((2.0, 4.0, 2.0)));
        assert_eq!(h.pop_oldest(), None);
    }

    #[test]
    fn pop_oldest_drops_emptied_rows() {
        let mut h = ExponentialHistogram::new(2);
        for v in [1.0, 2.0, 3.0] {
            h.push(v);
        }
        assert_eq!(h.pop_oldest(), Some((2.0, 3.0, 0.5)));
        assert_eq!(h.n_rows(), 1);
        assert_eq!(h.pop_oldest(), Some((1.0, 3.0, 0.0)));
        assert_eq!(h.pop_oldest(), None);
        h.clear();
        assert_eq!(contents(&h), vec![Vec::<f64>::new()]);
    }
}
