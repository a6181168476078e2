//! ADWIN's bucket structure: the exponential histogram of Datar et al. (2002) as used by ADWIN2
//! (Bifet & Gavaldà, 2007).
//!
//! What it is for: storing a window of `W` values in `O(M log(W/M))` summaries. Row `r` holds up to
//! `max_buckets` summaries (sum and sum of squared deviations) of `2^r` consecutive values each,
//! oldest first; when a row reaches `max_buckets + 1` summaries its two oldest merge into one
//! summary of the next row. Rows are fixed-capacity slices of two flat vectors, so an update never
//! allocates; a row is added only when the window doubles.
//! What it is not: it keeps no window totals and makes no drift decision; see [`super::adwin`].

use serde::{Deserialize, Serialize};

/// Rows of bucket summaries; row `r` summarises `2^r` values per bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ExponentialHistogram {
    /// Slots per row: `max_buckets + 1` (a row briefly holds one summary too many before merging).
    row_capacity: usize,
    /// Number of summaries in each row; `row_len.len()` is the number of rows in use.
    row_len: Vec<usize>,
    /// Bucket sums, row-major with stride `row_capacity`, oldest summary first within a row.
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
            row_len: vec![0],
            totals: vec![0.0; row_capacity],
            variances: vec![0.0; row_capacity],
        }
    }

    /// Empties the histogram, keeping its allocations.
    pub(crate) fn clear(&mut self) {
        self.row_len.clear();
        self.row_len.push(0);
        self.totals.truncate(self.row_capacity);
        self.variances.truncate(self.row_capacity);
    }

    /// Number of rows in use (at least one).
    #[inline]
    pub(crate) fn n_rows(&self) -> usize {
        self.row_len.len()
    }

    /// The bucket sums of row `row`, oldest first.
    #[inline]
    pub(crate) fn row_totals(&self, row: usize) -> &[f64] {
        let start = row * self.row_capacity;
        &self.totals[start..start + self.row_len[row]]
    }

    /// Appends one value (a bucket of size 1, no variance) and merges overflowing rows upwards.
    #[inline]
    pub(crate) fn push(&mut self, value: f64) {
        self.append(0, value, 0.0);
        let mut row = 0;
        while self.row_len[row] == self.row_capacity {
            self.merge_oldest_pair(row);
            row += 1;
        }
    }

    /// Removes the oldest bucket; returns its (size, sum, sum of squared deviations).
    /// `None` when the histogram is empty.
    pub(crate) fn pop_oldest(&mut self) -> Option<(f64, f64, f64)> {
        let row = self.n_rows() - 1;
        if self.row_len[row] == 0 {
            return None;
        }
        let start = row * self.row_capacity;
        let size = bucket_size(row);
        let popped = (size, self.totals[start], self.variances[start]);
        self.drop_front(row, 1);
        // Emptied oldest rows go, so the oldest row is never empty while values remain. (With
        // max_buckets = 1 a middle row can be empty; River leaves it last and would then read it.)
        while self.n_rows() > 1 && self.row_len[self.n_rows() - 1] == 0 {
            let last = self.n_rows() - 1;
            self.row_len.pop();
            self.totals.truncate(last * self.row_capacity);
            self.variances.truncate(last * self.row_capacity);
        }
        Some(popped)
    }

    fn append(&mut self, row: usize, total: f64, variance: f64) {
        if row == self.n_rows() {
            self.row_len.push(0);
            self.totals
                .resize(self.totals.len() + self.row_capacity, 0.0);
            self.variances
                .resize(self.variances.len() + self.row_capacity, 0.0);
        }
        let slot = row * self.row_capacity + self.row_len[row];
        self.totals[slot] = total;
        self.variances[slot] = variance;
        self.row_len[row] += 1;
    }

    /// Merges the two oldest buckets of `row` into one bucket of the next row.
    fn merge_oldest_pair(&mut self, row: usize) {
        let start = row * self.row_capacity;
        let n = bucket_size(row);
        let (t0, t1) = (self.totals[start], self.totals[start + 1]);
        let (v0, v1) = (self.variances[start], self.variances[start + 1]);
        let gap = t0 / n - t1 / n;
        // Chan et al.'s pairwise update for two halves of equal size n; the operation order is
        // River's, so the merged variance is bit-identical to its.
        let merged_variance = v0 + v1 + n * 0.5 * gap * gap;
        self.append(row + 1, t0 + t1, merged_variance);
        self.drop_front(row, 2);
    }

    fn drop_front(&mut self, row: usize, count: usize) {
        let start = row * self.row_capacity;
        let end = start + self.row_len[row];
        self.totals.copy_within(start + count..end, start);
        self.variances.copy_within(start + count..end, start);
        self.row_len[row] -= count;
    }
}

/// Number of values summarised by one bucket of row `row`.
#[inline]
pub(crate) fn bucket_size(row: usize) -> f64 {
    // Rows never exceed 63: the window would need 2^63 values first.
    (1_u64 << row.min(63)) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(h: &ExponentialHistogram) -> Vec<Vec<f64>> {
        (0..h.n_rows()).map(|r| h.row_totals(r).to_vec()).collect()
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
            assert!(h.row_totals(r).len() <= 2);
            sum += h.row_totals(r).iter().sum::<f64>();
            count += bucket_size(r) * h.row_totals(r).len() as f64;
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
