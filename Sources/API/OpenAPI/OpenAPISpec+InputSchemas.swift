import Index
import Search

extension OpenAPISpec {
    /// The request bodies. Unknown members are ignored by the server, so these objects stay open;
    /// optional members may also be `null`, which the server reads as absent.
    static var inputSchemas: [String: OpenAPIValue] {
        typealias S = Schema
        let searchModes = ["hybrid", "fulltext", "semantic"]
        return [
            "RegisterInput": input([
                "email": ["type": "string", "format": "email"],
                "password": S.string(minLength: 8, maxLength: 72, description: "8–72 bytes of UTF-8."),
                "name": S.string(minLength: 1, maxLength: 200, description: "1–200 characters after trimming."),
            ], required: ["email", "password", "name"]),
            "LoginInput": input(["email": S.string, "password": S.string], required: ["email", "password"]),
            "ProjectCreateInput": input([
                "name": projectName,
                "description": S.nullable(projectDescription),
            ], required: ["name"]),
            "ProjectUpdateInput": input([
                "name": S.nullable(projectName),
                "description": S.nullable(projectDescription),
            ], required: []),
            "DocumentInput": input(documentFields.merging(["path": documentPath]) { first, _ in first },
                                   required: ["path", "content"]),
            "DocumentUpdateInput": input(documentFields.merging([
                "path": S.nullable(documentPath),
                "version": S.nullable(S.integer(minimum: 1)).merging([
                    "description": "The version last seen; required unless `If-Match` names it.",
                ]),
            ]) { first, _ in first }, required: ["content"]),
            "BulkInput": input([
                "documents": S.array(of: S.ref("DocumentInput"), maxItems: BulkInput.maximumItems),
                "mode": S.nullable(S.enumeration(["create", "upsert"], default: "create")),
            ], required: ["documents"]),
            "SearchInput": input([
                "q": ["type": "string", "minLength": 1, "maxLength": OpenAPIValue(.number(Double(QueryParser.maximumBytes))), "pattern": "\\S",
                      "description": "Words, \"exact phrases\", -excluded, prefix*; at most 4,096 bytes of UTF-8."],
                "mode": S.nullable(S.enumeration(searchModes, default: "hybrid")),
                "limit": S.nullable(S.integer(minimum: 1, maximum: 100, default: 10)),
                "offset": S.nullable(S.integer(minimum: 0, maximum: PageRequest.maximumWindow - 1, default: 0)),
                "pathPrefix": S.nullable(S.string),
                "tag": S.nullable(S.string),
                "fusion": S.nullable(S.enumeration(["rrf", "linear"], default: "rrf")),
                "syntax": S.nullable(S.enumeration(QuerySyntax.allCases.map(\.rawValue), default: "standard")),
                "semanticRatio": S.nullable(["type": "number", "minimum": 0, "maximum": 1, "default": 0.5]),
                "maxTokens": S.nullable(S.integer(minimum: AnswerBudget.allowed.lowerBound, maximum: AnswerBudget.allowed.upperBound)),
            ], required: ["q"]),
            "SourceCreateInput": input([
                "kind": S.nullable(S.enumeration(SourceKind.allCases.map(\.rawValue), default: "git")),
                "url": S.string(minLength: 1, maxLength: 2_048, description: """
                    An absolute local path, file://, https:// or ssh:// (a user name only: credentials come from the \
                    server's environment or SSH agent, never from the API).
                    """),
                "ref": S.nullable(S.string(minLength: 1, maxLength: 200, description: "A branch or tag; default main.")),
                "include": S.nullable(S.array(of: S.string(minLength: 1, maxLength: 256), maxItems: 64)),
                "exclude": S.nullable(S.array(of: S.string(minLength: 1, maxLength: 256), maxItems: 64)),
                "pathPrefix": S.nullable(S.string(description: "The project folder the files land in; default the whole project.")),
                "intervalSeconds": S.nullable(S.integer(minimum: Source.intervalRange.lowerBound, maximum: Source.intervalRange.upperBound,
                                                        default: Source.defaultIntervalSeconds)),
            ], required: ["url"]),
            "SourceUpdateInput": input([
                "ref": S.nullable(S.string(minLength: 1, maxLength: 200)),
                "include": S.nullable(S.array(of: S.string(minLength: 1, maxLength: 256), maxItems: 64)),
                "exclude": S.nullable(S.array(of: S.string(minLength: 1, maxLength: 256), maxItems: 64)),
                "intervalSeconds": S.nullable(S.integer(minimum: Source.intervalRange.lowerBound, maximum: Source.intervalRange.upperBound)),
            ], required: []),
            "ProjectKeyCreateInput": input([
                "name": Schema.string(minLength: 1, maxLength: 100, description: "What the key is for: 1–100 characters after trimming, no control characters.")
                    .merging(["pattern": OpenAPIValue(.string(visibleText))]),
                "access": S.enumeration(KeyAccess.allCases.map(\.rawValue)),
                "pathPrefix": S.nullable(S.string(minLength: 1, maxLength: 512, description: """
                    Confine the key to documents under this folder ('handbook' and 'handbook/' both mean the folder): \
                    a relative path, as document paths are.
                    """)),
                "expiresAt": S.nullable(S.dateTime.merging(["description": "When the key stops working; must be in the future."])),
            ], required: ["access", "name"]),
        ]
    }

    private static func input(_ properties: [String: OpenAPIValue], required: [String]) -> OpenAPIValue {
        ["type": "object", "properties": .object(properties),
         "required": .array(required.sorted().map { OpenAPIValue(.string($0)) })]
    }

    private static var projectName: OpenAPIValue {
        Schema.string(minLength: 1, maxLength: 100, description: "1–100 characters after trimming, no control characters; unique per owner.")
            .merging(["pattern": OpenAPIValue(.string(visibleText))])
    }

    /// Text with something besides white space and no C0 control character or DEL, as names and
    /// tags must be.
    private static let visibleText = "^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$"

    private static var projectDescription: OpenAPIValue {
        Schema.string(maxLength: 2000)
    }

    private static var documentPath: OpenAPIValue {
        Schema.string(minLength: 1, maxLength: 512, description: """
            Relative, '/'-separated, 1–512 bytes of NFC UTF-8: no leading '/', no empty, '.' or '..' \
            segment, no '\\', no control character, no drive letter, no %2e, %2f, %5c or %00.
            """).merging(["pattern": "^[^/\\\\\\u0000-\\u001f\\u007f-\\u009f][^\\\\\\u0000-\\u001f\\u007f-\\u009f]*$"])
    }

    /// The optional fields that creation, update and bulk items share.
    private static var documentFields: [String: OpenAPIValue] {
        [
            "content": Schema.string(maxLength: 1 << 20, description: "At most 1 MiB of UTF-8, no NUL."),
            "title": Schema.nullable(Schema.string(description: "Derived from the first heading or the file name when absent.")),
            "tags": Schema.nullable(Schema.array(
                of: Schema.string(minLength: 1, maxLength: 64).merging(["pattern": OpenAPIValue(.string(visibleText))]),
                maxItems: DocumentPreparer.maximumTags)),
            "metadata": Schema.nullable(Schema.anyObject.merging([
                "description": OpenAPIValue(.string("Any JSON object of at most 64 KiB, nested at most 16 levels.")),
            ])),
        ]
    }
}
