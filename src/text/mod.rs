//! Text intelligence: sentiment, emotion, readability, persuasion. Being written; see issue 3.
