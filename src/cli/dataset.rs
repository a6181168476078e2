//! Loading a numeric CSV file for the `eval` and `drift` subcommands, with errors that name the
//! file, the row (1-based, as in the file: the header is row 1) and the column.
//!
//! What it is for: turning a file into dense `f64` columns and class labels, checked once, so the
//! learning loop never sees a bad value.
//! What it is not: a general CSV reader (no quoting rules beyond the `csv` crate's, no missing
//! values, no categorical columns) and not a streaming reader: the file is held in memory.

use std::path::Path;

use super::CliError;

/// A numeric CSV file held in memory, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// The file it was read from, as given (for messages).
    pub path: String,
    /// Column names from the header row.
    pub columns: Vec<String>,
    /// Every cell, row-major: row `r`, column `c` is `values[r * columns.len() + c]`.
    pub values: Vec<f64>,
    /// The file line (1-based) of each data row, for messages.
    pub lines: Vec<u64>,
}

/// Features and class labels split out of a [`Dataset`] for a classifier.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledData {
    /// The feature column names, in file order.
    pub feature_names: Vec<String>,
    /// Features, row-major, `feature_names.len()` per row.
    pub features: Vec<f64>,
    /// One class index per row.
    pub labels: Vec<usize>,
    /// Number of classes: the largest label + 1, at least 2.
    pub n_classes: usize,
}

impl LabelledData {
    /// The rows as (features, label) pairs, in file order.
    pub fn rows(&self) -> impl Iterator<Item = (&[f64], usize)> + '_ {
        let width = self.feature_names.len().max(1);
        self.features
            .chunks_exact(width)
            .zip(self.labels.iter().copied())
    }
}

impl Dataset {
    /// Reads `path`: a header row, then rows of numbers, every row as wide as the header.
    ///
    /// # Errors
    /// [`CliError::Io`] when the file cannot be read; [`CliError::Input`] for an empty file, a
    /// header without data rows, a row of the wrong width, or a cell that is not a finite number.
    pub fn load(path: &str) -> Result<Self, CliError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_path(Path::new(path))
            .map_err(|e| csv_error(path, e))?;
        let columns: Vec<String> = reader
            .headers()
            .map_err(|e| csv_error(path, e))?
            .iter()
            // A UTF-8 byte-order mark (spreadsheet exports) is not part of the first name.
            .map(|name| name.trim_start_matches('\u{feff}').trim().to_owned())
            .collect();
        if columns.is_empty() || columns.iter().all(String::is_empty) {
            return Err(CliError::Input(format!(
                "{path}: the file is empty (expected a header row, then numeric rows)"
            )));
        }
        if let Some(i) = columns.iter().position(String::is_empty) {
            return Err(CliError::Input(format!(
                "{path}: row 1, column {}: empty column name in the header",
                i + 1
            )));
        }
        let mut values = Vec::new();
        let mut lines = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(csv_error(path, e)),
            }
            let line = record.position().map_or(0, csv::Position::line);
            if record.len() != columns.len() {
                return Err(CliError::Input(format!(
                    "{path}: row {line}: has {} cells but the header has {} columns",
                    record.len(),
                    columns.len()
                )));
            }
            for (cell, name) in record.iter().zip(&columns) {
                values.push(parse_cell(path, line, name, cell)?);
            }
            lines.push(line);
        }
        if lines.is_empty() {
            return Err(CliError::Input(format!(
                "{path}: no data rows after the header"
            )));
        }
        Ok(Self {
            path: path.to_owned(),
            columns,
            values,
            lines,
        })
    }

    /// Number of data rows.
    pub fn n_rows(&self) -> usize {
        self.lines.len()
    }

    /// The index of the column called `name`, or of the last column when `name` is `None`.
    ///
    /// # Errors
    /// [`CliError::Input`] when no column has that name.
    pub fn column_index(&self, name: Option<&str>) -> Result<usize, CliError> {
        match name {
            None => Ok(self.columns.len() - 1),
            Some(name) => self.columns.iter().position(|c| c == name).ok_or_else(|| {
                CliError::Input(format!(
                    "{}: unknown column `{name}` (columns: {})",
                    self.path,
                    self.columns.join(", ")
                ))
            }),
        }
    }

    /// The values of column `index`, top to bottom.
    pub fn column(&self, index: usize) -> impl Iterator<Item = f64> + '_ {
        self.values
            .iter()
            .skip(index)
            .step_by(self.columns.len())
            .copied()
    }

    /// Splits out column `target` as class labels (non-negative integers) and the rest as
    /// features.
    ///
    /// # Errors
    /// [`CliError::Input`] when the target is the only column, a label is negative or not an
    /// integer, or the largest label needs more than `max_classes` classes.
    pub fn labelled(&self, target: usize, max_classes: usize) -> Result<LabelledData, CliError> {
        let width = self.columns.len();
        let name = &self.columns[target];
        if width < 2 {
            return Err(CliError::Input(format!(
                "{}: the target column `{name}` is the only column; there are no features",
                self.path
            )));
        }
        let mut labels = Vec::with_capacity(self.n_rows());
        for (value, line) in self.column(target).zip(&self.lines) {
            let label = value as usize;
            if value < 0.0 || value.fract() != 0.0 || label >= max_classes {
                return Err(CliError::Input(format!(
                    "{}: row {line}, column `{name}`: label `{value}` is not a class index \
                     (an integer from 0 to {})",
                    self.path,
                    max_classes - 1
                )));
            }
            labels.push(label);
        }
        let features = self
            .values
            .chunks_exact(width)
            .flat_map(|row| {
                row.iter()
                    .enumerate()
                    .filter(move |(c, _)| *c != target)
                    .map(|(_, v)| *v)
            })
            .collect();
        let n_classes = labels.iter().copied().max().unwrap_or(0).max(1) + 1;
        let feature_names = (0..width)
            .filter(|c| *c != target)
            .map(|c| self.columns[c].clone())
            .collect();
        Ok(LabelledData {
            feature_names,
            features,
            labels,
            n_classes,
        })
    }
}

fn parse_cell(path: &str, line: u64, column: &str, cell: &str) -> Result<f64, CliError> {
    match cell.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(CliError::Input(format!(
            "{path}: row {line}, column `{column}`: `{cell}` is not a finite number"
        ))),
        Err(_) => Err(CliError::Input(format!(
            "{path}: row {line}, column `{column}`: `{cell}` is not a number"
        ))),
    }
}

fn csv_error(path: &str, err: csv::Error) -> CliError {
    let line = err.position().map(csv::Position::line);
    let message = err.to_string();
    match err.into_kind() {
        csv::ErrorKind::Io(source) => CliError::Io {
            context: format!("{path}: cannot read"),
            source,
        },
        csv::ErrorKind::Utf8 { .. } => CliError::Input(match line {
            Some(line) => format!("{path}: row {line}: not valid UTF-8"),
            None => format!("{path}: not valid UTF-8"),
        }),
        _ => CliError::Input(format!("{path}: cannot parse as CSV: {message}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> String {
        let dir = std::env::temp_dir().join(format!("leadstream-dataset-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok();
        let path = dir.join(name);
        std::fs::write(&path, text).ok();
        path.to_string_lossy().into_owned()
    }

    #[test]
    fn loads_rows_and_splits_labels() {
        let path = write("ok.csv", "a,b,y\n1,2.5,0\n3,4,2\n");
        let data = Dataset::load(&path).unwrap();
        assert_eq!(data.columns, ["a", "b", "y"]);
        assert_eq!(data.lines, [2, 3]);
        let target = data.column_index(None).unwrap();
        let labelled = data.labelled(target, 64).unwrap();
        assert_eq!(labelled.features, [1.0, 2.5, 3.0, 4.0]);
        assert_eq!(labelled.labels, [0, 2]);
        assert_eq!(labelled.n_classes, 3);
        let by_name = data
            .labelled(data.column_index(Some("a")).unwrap(), 64)
            .unwrap();
        assert_eq!(by_name.feature_names, ["b", "y"]);
        assert_eq!(by_name.features, [2.5, 0.0, 4.0, 2.0]);
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_name() {
        let path = write("bom.csv", "\u{feff}a,y\n1,0\n");
        assert_eq!(Dataset::load(&path).unwrap().columns, ["a", "y"]);
    }

    #[test]
    fn a_single_class_still_means_two_classes() {
        let path = write("one.csv", "a,y\n1,0\n2,0\n");
        let data = Dataset::load(&path).unwrap();
        assert_eq!(data.labelled(1, 64).unwrap().n_classes, 2);
    }

    #[test]
    fn bad_cells_name_row_and_column() {
        let path = write("bad.csv", "a,b\n1,2\n3,x\n");
        let err = Dataset::load(&path).unwrap_err().to_string();
        assert!(err.contains("row 3, column `b`"), "{err}");
        let path = write("nan.csv", "a,b\n1,NaN\n");
        let err = Dataset::load(&path).unwrap_err().to_string();
        assert!(err.contains("row 2, column `b`"), "{err}");
        let path = write("label.csv", "a,b\n1,0.5\n");
        let data = Dataset::load(&path).unwrap();
        let err = data.labelled(1, 64).unwrap_err().to_string();
        assert!(err.contains("row 2, column `b`"), "{err}");
    }
}
