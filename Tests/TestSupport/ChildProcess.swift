import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A program started with `posix_spawn`, for tests that run Chromium or PocketBase. Foundation's `Process.run()` on
/// Linux (swift-corelibs-foundation as shipped with Swift 6.3.1) can crash the whole test process with SIGSEGV: it
/// copies whole `dirent` records of `/proc/self/fd`, reading past glibc's buffer (fixed upstream in
/// swift-corelibs-foundation#5472); a test process with many SQLite files open hit it in CI.
public final class ChildProcess: @unchecked Sendable {
    /// Where the child's stdout or stderr goes.
    public enum Output {
        case null
        case file(FileHandle)
        /// A pipe whose read end is `standardOutput` / `standardError`.
        case pipe
    }

    public let pid: pid_t
    public let standardOutput: FileHandle?
    public let standardError: FileHandle?
    private let lock = NSLock()
    private var exitStatus: Int32?

    public struct SpawnError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(_ path: String, _ arguments: [String], stdout: Output = .null, stderr: Output = .null) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var readEnds: [Int32: Int32] = [:]
        var writeEnds: [Int32] = []
        for (target, output) in [(Int32(1), stdout), (Int32(2), stderr)] {
            switch output {
            case .null: posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
            case .file(let handle): posix_spawn_file_actions_adddup2(&actions, handle.fileDescriptor, target)
            case .pipe:
                var fds: [Int32] = [-1, -1]
                guard pipe(&fds) == 0 else { throw SpawnError(description: "pipe: errno \(errno)") }
                // Not inherited by other children spawned meanwhile (the dup2 below still gives the child its end).
                for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
                posix_spawn_file_actions_adddup2(&actions, fds[1], target)
                readEnds[target] = fds[0]
                writeEnds.append(fds[1])
            }
        }
        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) }
        argv.append(nil)
        defer { for p in argv { free(p) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, path, &actions, nil, argv, environ)
        for fd in writeEnds { close(fd) }
        guard rc == 0 else {
            for fd in readEnds.values { close(fd) }
            throw SpawnError(description: "posix_spawn \(path): error \(rc)")
        }
        pid = child
        standardOutput = readEnds[1].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        standardError = readEnds[2].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
    }

    /// Blocks until the child exits; its exit status (128 + signal when killed).
    @discardableResult
    public func waitUntilExit() -> Int32 {
        if let status = lock.withLock({ exitStatus }) { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
        let status = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
        lock.withLock { exitStatus = status }
        return status
    }

    public var isRunning: Bool {
        if lock.withLock({ exitStatus }) != nil { return false }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return true }
        let status = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
        lock.withLock { exitStatus = status }
        return false
    }

    /// SIGTERM, like `Process.terminate()`.
    public func terminate() {
        if isRunning { kill(pid, SIGTERM) }
    }
}
