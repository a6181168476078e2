//! Online logistic regression with an online standard scaler in front. Being written; see issue 2.
