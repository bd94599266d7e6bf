#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Dispatch
import Synchronization

// The ordered parallel loop: workers on threads of our own, results handed back in input order through a
// bounded ring, so memory stays flat and output is deterministic whatever the thread count.

extension Pipeline {
    /// Runs `body` over `items` on `jobs` threads and hands the results to `consume` on the calling thread,
    /// in input order, each as soon as it and those before it are done.
    static func forEachInOrder<T: Sendable, R: Sendable>(
        _ items: [T], jobs: Int, window: Int? = nil, _ body: @escaping @Sendable (_ worker: Int, T) -> R,
        _ consume: (R) -> Void
    ) {
        forEachInOrder(
            jobs: min(jobs, max(1, items.count)), window: window, source: { $0 < items.count ? items[$0] : nil }, body,
            consume)
    }

    /// Runs `body` over the items `source` gives (item `i`, waiting for it if need be; nil past the last) on
    /// `jobs` threads and hands the results to `consume` on the calling thread, in order, each as soon as it
    /// and those before it are done. At most `window` results (default: 32 per thread) wait for a slower one
    /// before them. `body` gets the worker's number (0..<jobs).
    static func forEachInOrder<T: Sendable, R: Sendable>(
        jobs: Int, window: Int? = nil, source: @escaping @Sendable (Int) -> T?,
        _ body: @escaping @Sendable (_ worker: Int, T) -> R, _ consume: (R) -> Void
    ) {
        let workers = max(1, jobs)
        if workers == 1 {
            var i = 0
            while let item = source(i) {
                consume(body(0, item))
                i += 1
            }
            return
        }
        // A nil result marks the end: the worker that claims the first index past the last item leaves it.
        let ring = OrderedRing<R?>(capacity: max(window ?? 32 * workers, workers))
        let claims = Claims()
        let threads = WorkerThreads(count: workers) { worker in
            while true {
                ring.space.wait()
                let i = claims.claim()
                guard let item = source(i) else {
                    ring.put(i, nil)
                    return
                }
                ring.put(i, body(worker, item))
            }
        }
        if threads.startedCount == 0 {
            // No thread could be created: the work runs here, in order (waiting for the ring would be forever).
            threads.discardNotStarted()
            var i = 0
            while let item = source(i) {
                consume(body(0, item))
                i += 1
            }
            return
        }
        var i = 0
        while let result = ring.take(i) {
            consume(result)
            i += 1
        }
        // Workers still waiting for room claim past the end too, and stop.
        for _ in 0..<workers { ring.space.signal() }
        threads.join()
    }
}

/// Consecutive indices for workers to claim.
final class Claims: Sendable {
    private let next = Atomic<Int>(0)

    func claim() -> Int { next.add(1, ordering: .relaxed).oldValue }
}

/// Results of an ordered parallel loop, waiting for their turn: slot `i % capacity` holds result `i`. A
/// worker takes a `space` token before claiming an index and the consumer returns it after taking that
/// index's result, so at most `capacity` results wait and a slot is always free when its index is claimed.
final class OrderedRing<R: Sendable>: @unchecked Sendable {
    let space: DispatchSemaphore
    private let capacity: Int
    private var slots: [R?]
    private let ready: [DispatchSemaphore]
    private let lock = Mutex(())

    init(capacity: Int) {
        self.capacity = capacity
        space = DispatchSemaphore(value: capacity)
        slots = Array(repeating: nil, count: capacity)
        ready = (0..<capacity).map { _ in DispatchSemaphore(value: 0) }
    }

    func put(_ i: Int, _ value: R) {
        lock.withLock { _ in slots[i % capacity] = value }
        ready[i % capacity].signal()
    }

    /// Waits for result `i`, takes it out of its slot and frees the slot.
    func take(_ i: Int) -> R {
        ready[i % capacity].wait()
        let value = lock.withLock { _ in
            let v = slots[i % capacity]!
            slots[i % capacity] = nil
            return v
        }
        space.signal()
        return value
    }
}

/// Threads of our own for the pipeline's workers. Not Dispatch's global queue: its threads are capped at
/// the core count, so a caller that itself runs on one of them and waits for the workers' results (as an
/// async command does on Swift concurrency's pool) leaves the workers fewer threads than cores; measured,
/// one worker ran at a time. Speed is not the reason: re-measured with this class's body replaced by
/// `DispatchQueue.global().async` and a `DispatchGroup` (`Tests/Benchmarks/run.sh`, 1x corpus, 2 cores,
/// median of 7, the same build otherwise), the full run took 0.206 and 0.210 s on Dispatch against 0.211
/// and 0.241 s here, within the machine's noise; peak RSS 39.6–39.9 MB either way.
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
