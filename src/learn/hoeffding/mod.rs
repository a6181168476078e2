//! Hoeffding trees: VFDT (Domingos & Hulten, 2000) and the Hoeffding Adaptive Tree
//! (Bifet & Gavaldà, 2009). Being written; see issue 2.
