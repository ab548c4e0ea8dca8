import Foundation

/// Standard streams and terminal handling: messages to stderr, results to stdout.
enum Terminal {
    static var isInteractive: Bool { isatty(STDERR_FILENO) == 1 }

    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Reads a line from the terminal without echoing it.
    static func readSecret(prompt: String) -> String? {
        FileHandle.standardError.write(Data(prompt.utf8))
        var original = termios()
        tcgetattr(STDIN_FILENO, &original)
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &original)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true)
    }
}

/// Progress of long work: a redrawn bar on a terminal, plain lines (every 10%) otherwise.
final class ProgressReporter: @unchecked Sendable {
    private let label: String
    private let interactive: Bool
    private let lock = NSLock()
    private var lastDecile = -1

    init(label: String, interactive: Bool = Terminal.isInteractive) {
        self.label = label
        self.interactive = interactive
    }

    func update(done: Int, total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        if interactive {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) \(bar) \(done)/\(total)".utf8))
            if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            let decile = Int(fraction * 10)
            if decile != lastDecile {
                lastDecile = decile
                Terminal.writeError("\(label): \(done)/\(total)")
            }
        }
    }
}

/// Progress of a run with several phases, each with its own bar.
final class PhaseProgress: @unchecked Sendable {
    private var phase = ""
    private var reporter: ProgressReporter?
    private let lock = NSLock()

    func update(phase: String, done: Int, total: Int) {
        lock.lock()
        if phase != self.phase {
            self.phase = phase
            reporter = ProgressReporter(label: phase)
        }
        let current = reporter
        lock.unlock()
        current?.update(done: done, total: total)
    }
}

/// JSON output of commands: sorted keys, ISO-8601 dates, one value per run.
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var data = try encoder.encode(value)
        data.append(contentsOf: Data("\n".utf8))
        do {
            try FileHandle.standardOutput.write(contentsOf: data)
        } catch {
            // The reader went away (`lore search --json | head`): stop quietly, as Unix tools do.
            exit(0)
        }
    }
}
