//! The event contract and its decoder. Being written; see issue 3.
