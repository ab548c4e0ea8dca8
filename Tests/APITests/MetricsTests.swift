import API
import Foundation
import HTTPTypes
import Testing

@Suite("Metrics: the Prometheus exposition at /metrics")
struct MetricsTests {
    /// One sample line: `name{label="value",…} value`.
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    static func samples(_ text: String) -> [Sample] {
        text.split(separator: "\n").compactMap { line -> Sample? in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                return nil
            }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else { return Sample(name: String(series), labels: [:], value: value) }
            var labels: [String: String] = [:]
            for pair in series[series.index(after: brace)..<series.index(before: series.endIndex)].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            return Sample(name: String(series[..<brace]), labels: labels, value: value)
        }
    }

    static func value(_ samples: [Sample], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { sample in sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value } }?.value
    }

    @Test func requestsAreCountedByRouteTemplateAndStatus() async throws {
        try await OperationsTestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            try await api.createDocument(key: project.key, project: project.id, path: "guide.md", content: "# Guide\n\nRotate the keys.")
            try await api.createDocument(key: project.key, project: project.id, path: "notes.md", content: "Nothing here.")
            let search = try await api.send(.get, "/api/v1/projects/\(project.id)/search?q=rotate&mode=fulltext", headers: .apiKey(project.key))
            #expect(search.status == .ok)
            #expect(try await api.send(.get, "/no/such/route").status == .notFound)

            let response = try await api.send(.get, "/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(!response.text.contains(project.id), "route labels are templates, never raw paths")
            let samples = Self.samples(response.text)
            #expect(Self.value(samples, "lore_http_requests_total", [
                "method": "POST", "route": "/api/v1/projects/{projectId}/documents", "status": "201"]) == 2)
            #expect(Self.value(samples, "lore_http_requests_total", ["method": "POST", "route": "/api/v1/auth/register", "status": "201"]) == 1)
            #expect(Self.value(samples, "lore_http_requests_total", ["method": "GET", "route": "unmatched", "status": "404"]) == 1,
                    "\(response.text.split(separator: "\n").filter { $0.hasPrefix("lore_http_requests_total") })")
            #expect(Self.value(samples, "lore_http_request_duration_seconds_count", ["route": "/api/v1/projects/{projectId}/documents"]) == 2)
            #expect(Self.value(samples, "lore_search_duration_seconds_count", ["mode": "fulltext"]) == 1)
            #expect(Self.value(samples, "lore_documents") == 2)
            #expect(Self.value(samples, "lore_vectors") == 0)
            let depth = try await api.store.embeddingQueueDepth()
            #expect(Self.value(samples, "lore_embedding_queue_depth") == Double(depth))
            #expect(Self.value(samples, "lore_rate_limited_total") == 0)
            #expect(Self.value(samples, "lore_query_embedding_cache_hits_total") == 0)
            #expect(Self.value(samples, "lore_query_embedding_cache_misses_total") == 0)
            for family in ["lore_http_requests_total", "lore_http_request_duration_seconds", "lore_search_duration_seconds",
                           "lore_documents", "lore_vectors", "lore_embedding_queue_depth", "lore_rate_limited_total",
                           "lore_query_embedding_cache_hits_total", "lore_query_embedding_cache_misses_total"] {
                #expect(response.text.contains("# HELP \(family) "), "\(family) has help text")
                #expect(response.text.contains("# TYPE \(family) "), "\(family) has a type")
            }
        }
    }

    @Test func refusedRequestsAreCounted() async throws {
        let settings = RateLimitSettings(requests: RateLimitPolicy(requests: 1, per: .seconds(60)), clock: ManualClock())
        try await OperationsTestServer.run(rateLimits: settings) { api in
            #expect(try await api.send(.get, "/api/v1/auth/me").status == .unauthorized)
            #expect(try await api.send(.get, "/api/v1/auth/me").status == .tooManyRequests)
            #expect(try await api.send(.get, "/api/v1/auth/me").status == .tooManyRequests)
            let samples = Self.samples(try await api.send(.get, "/metrics").text)
            #expect(Self.value(samples, "lore_rate_limited_total") == 2)
            #expect(Self.value(samples, "lore_http_requests_total", ["route": "/api/v1/auth/me", "status": "429"]) == 2)
        }
    }

    @Test func eachApplicationHasItsOwnRegistry() async throws {
        try await withThrowingTaskGroup(of: Double?.self) { group in
            for count in [1, 3] {
                group.addTask {
                    try await OperationsTestServer.run { api in
                        for _ in 0..<count { _ = try await api.send(.get, "/api/v1/auth/me") }
                        let samples = Self.samples(try await api.send(.get, "/metrics").text)
                        let seen = Self.value(samples, "lore_http_requests_total", ["route": "/api/v1/auth/me", "status": "401"])
                        #expect(seen == Double(count))
                        return seen
                    }
                }
            }
            for try await _ in group {}
        }
    }
}
