/// The errors of the Vectors module: embedders, model files and the vector index.
public enum VectorError: Error, Sendable, Equatable {
    /// A model file is missing or unreadable; `path` names it.
    case modelUnavailable(path: String, reason: String)
    /// A model file does not have the expected form.
    case malformedModel(reason: String)
    /// A weights file lacks a tensor the model needs.
    case missingTensor(name: String)
    /// A tensor has another shape than the model configuration implies.
    case tensorShapeMismatch(name: String, expected: [Int], actual: [Int])
    /// A tensor is stored in an element type the loader does not read (`F16`, `I64`, …).
    case unsupportedTensorType(name: String, dtype: String)
    /// A vector of the wrong dimension was given.
    case dimensionMismatch(expected: Int, actual: Int)
    /// A vector holds a NaN or an infinity; `index` is the first such component.
    case nonFiniteComponent(index: Int)
    /// A vector has length zero, so it has no direction to compare.
    case zeroVector
    /// The embedding service failed; `retryable` says whether trying again may help.
    case embedderFailed(reason: String, retryable: Bool)
}

extension VectorError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .modelUnavailable(let path, let reason):
            "the model is not usable at \(path): \(reason) (run scripts/fetch-model, set LORE_MODEL_DIR, or LORE_EMBEDDER=none)"
        case .malformedModel(let reason): "the model files are malformed: \(reason)"
        case .missingTensor(let name): "the weights lack the tensor \(name)"
        case .tensorShapeMismatch(let name, let expected, let actual): "tensor \(name) has shape \(actual), expected \(expected)"
        case .unsupportedTensorType(let name, let dtype): "tensor \(name) is \(dtype), which is not supported"
        case .dimensionMismatch(let expected, let actual): "a vector has \(actual) dimensions, expected \(expected)"
        case .nonFiniteComponent(let index): "a vector has a NaN or infinite component at \(index)"
        case .zeroVector: "a vector has length zero"
        case .embedderFailed(let reason, _): "the embedder failed: \(reason)"
        }
    }
}
