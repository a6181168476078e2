//! Concept-drift detectors: ADWIN (Bifet & Gavaldà, 2007) and Page-Hinkley (Page, 1954).
//! Being written; see issue 2.
