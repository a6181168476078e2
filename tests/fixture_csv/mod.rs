//! Reading the committed CSV fixtures (header row, numeric columns, class label last) shared by
//! the River conformance tests.

/// One fixture's rows: features and class label.
pub type Rows = Vec<(Vec<f64>, usize)>;

/// Loads `path`; panics with the file name on a malformed fixture (fixtures are committed data).
pub fn load_rows(path: &str) -> Rows {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    reader
        .records()
        .map(|rec| {
            let rec = rec.expect("csv record");
            let mut v: Vec<f64> = rec.iter().map(|s| s.parse().expect("number")).collect();
            let y = v.pop().expect("target column") as usize;
            (v, y)
        })
        .collect()
}
