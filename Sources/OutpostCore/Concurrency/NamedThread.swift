import CThreads
import Foundation

/// Starts a thread of our own (an event loop, a worker) that names itself first.
///
/// The name is set from inside the thread, through the kernel: a new thread inherits its
/// creator's name (often a Swift pool thread's), and Foundation's `Thread.name` does not
/// reliably reach the kernel, so `top -H` would show the wrong thread.
public enum NamedThread {
    public static func start(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            outpost_name_current_thread(name)
            body()
        }
        thread.name = name
        thread.start()
    }
}
