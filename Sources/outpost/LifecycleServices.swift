import Probing
import Rules
import ServiceLifecycle
import TSDB

/// Runs the local store's record-and-persist loop as a lifecycle service; it saves the head
/// on graceful shutdown.
struct StorageLoop: Service {
    let storage: LocalStorageService

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await storage.run()
        }
    }
}

/// Runs the probe scheduler as a lifecycle service until graceful shutdown.
struct ProbeSchedulerLoop: Service {
    let scheduler: ProbeScheduler

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await scheduler.run()
        }
    }
}

/// Runs the rule groups as a lifecycle service until graceful shutdown.
struct RuleManagerLoop: Service {
    let manager: RuleManager

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await manager.run()
        }
    }
}
