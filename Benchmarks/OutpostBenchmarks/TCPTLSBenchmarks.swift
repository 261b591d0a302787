import Foundation
import OutpostCore
import Probing

/// CPU per tcp probe with `tls: true` (handshake, certificate verification against a
/// ca_file, certificate metrics) against a Python TLS server in a separate process, which
/// accepts, completes the handshake and closes: 500 probes per run, 50 in flight.
enum TCPTLSBenchmarks {
    static var cases: [BenchmarkCase] { [
        BenchmarkCase(name: "probing.tcp_tls.probe", operationsPerRun: ProbingBenchmarks.probesPerRun, operationName: "probe") {
            batch()
        },
    ] }

    static func batch() -> () -> Void {
        let server = ExternalTLSServer()
        let module = try! ConfigDecoder(file: "bench").decode(ModuleConfig.self, from: """
            prober: tcp
            timeout: 5s
            tcp:
              tls: true
              tls_config: {ca_file: \(server.certificatePath), server_name: localhost}
            """)
        let runner = ProbeRunner()
        let target = "127.0.0.1:\(server.port)"
        return {
            let failures = ProbingBenchmarks.blocking {
                await withTaskGroup(of: Int.self) { group in
                    for index in 0..<ProbingBenchmarks.probesPerRun {
                        if index >= 50 { _ = await group.next() }
                        group.addTask { await runner.run(target: target, module: module).success ? 0 : 1 }
                    }
                    return await group.reduce(0, +)
                }
            }
            precondition(failures == 0, "\(failures) probes failed")
        }
    }
}

/// A TLS accept-handshake-close server in a Python child process, with an RSA-2048
/// certificate for `localhost` made by the openssl CLI.
private final class ExternalTLSServer: Sendable {
    let port: Int
    let certificatePath: String

    private static let script = """
    import os, socket, ssl, sys, threading
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[1], sys.argv[2])
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(4096)
    def serve(connection):
        try:
            context.wrap_socket(connection, server_side=True).close()
        except Exception:
            connection.close()
    def accept():
        while True:
            connection, _ = listener.accept()
            threading.Thread(target=serve, args=(connection,), daemon=True).start()
    threading.Thread(target=accept, daemon=True).start()
    print(listener.getsockname()[1], flush=True)
    sys.stdin.read()
    os._exit(0)
    """

    init() {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outpost-bench-tls-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        certificatePath = directory.appendingPathComponent("cert.pem").path
        let keyPath = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPath, "-out", certificatePath,
                             "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"]
        openssl.standardError = FileHandle.nullDevice
        try! openssl.run()
        openssl.waitUntilExit()
        port = Int(PythonServerProcess.start(script: Self.script, arguments: [certificatePath, keyPath]))!
    }
}
