#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Threads of our own for the pipeline's workers. Not Dispatch's global queue: its threads are capped at
/// the core count, so a caller that itself runs on one of them and waits for the workers' results (as an
/// async command does on Swift concurrency's pool) leaves the workers fewer threads than cores; measured,
/// one worker ran at a time.
final class WorkerThreads {
    private final class Start {
        let index: Int
        let body: @Sendable (Int) -> Void
        init(index: Int, body: @escaping @Sendable (Int) -> Void) {
            self.index = index
            self.body = body
        }
    }

    #if canImport(Darwin)
        private var threads: [pthread_t?] = []
    #else
        private var threads: [pthread_t] = []
    #endif
    /// Indices whose thread could not be created: `join` runs them on the calling thread.
    private var notStarted: [Int] = []
    private let body: @Sendable (Int) -> Void

    /// For tests: how many more threads may be created (nil: no limit), as when `ulimit -u` or a full pids
    /// cgroup makes `pthread_create` fail.
    nonisolated(unsafe) static var threadsAllowedForTesting: Int? = nil

    /// How many of the threads asked for are running.
    var startedCount: Int { threads.count }

    /// Starts `count` threads running `body(0)`, …, `body(count - 1)`. A thread that cannot be created is
    /// run by `join` on the calling thread; callers that need the threads to make progress while they wait
    /// check `startedCount` (and `runInsteadOfThreads()`).
    init(count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        self.body = body
        for i in 0..<count {
            if let allowed = Self.threadsAllowedForTesting {
                guard allowed > 0 else {
                    notStarted.append(i)
                    continue
                }
                Self.threadsAllowedForTesting = allowed - 1
            }
            let start = Unmanaged.passRetained(Start(index: i, body: body)).toOpaque()
            #if canImport(Darwin)
                var thread: pthread_t? = nil
            #else
                var thread = pthread_t()
            #endif
            let result = pthread_create(
                &thread, nil,
                { raw in
                    #if canImport(Darwin)
                        let start = Unmanaged<Start>.fromOpaque(raw).takeRetainedValue()
                    #else
                        let start = Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue()
                    #endif
                    start.body(start.index)
                    return nil
                }, start)
            if result == 0 {
                threads.append(thread)
            } else {
                Unmanaged<Start>.fromOpaque(start).release()
                notStarted.append(i)
            }
        }
    }

    /// Forgets the bodies whose thread could not be created (the caller does their work itself).
    func discardNotStarted() {
        notStarted = []
    }

    /// Waits for every thread to finish (running any that could not be started here).
    func join() {
        for i in notStarted { body(i) }
        notStarted = []
        for t in threads {
            #if canImport(Darwin)
                if let t { pthread_join(t, nil) }
            #else
                pthread_join(t, nil)
            #endif
        }
        threads = []
    }
}
