import ImageReference

/// Placeholder: release tag sets arrive with the tags work.
public enum ReleaseTags {}
