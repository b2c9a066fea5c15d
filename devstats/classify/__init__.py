"""Pure classifiers: which commits are automated, which pull requests went to other projects."""
