/// The errors of the Vectors module: embedders, model files and the vector index.
public enum VectorError: Error, Sendable, Equatable {
    /// A model file is missing or unreadable; `path` names it.
    case modelUnavailable(path: String, reason: String)
    /// A model file does not have the expected form.
    case malformedModel(reason: String)
    /// A vector of the wrong dimension was given.
    case dimensionMismatch(expected: Int, actual: Int)
    /// The embedding service failed; `retryable` says whether trying again may help.
    case embedderFailed(reason: String, retryable: Bool)
}
