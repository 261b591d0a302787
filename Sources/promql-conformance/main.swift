// Runs Prometheus's PromQL test files against Outpost's engine.
//   promql-conformance [--verbose] <file.test | directory> ...
// Prints one line per file and a last line "N passed, N failed".
import Foundation
import PromQLConformance

var verbose = false
var paths: [String] = []
for argument in CommandLine.arguments.dropFirst() {
    if argument == "--verbose" || argument == "-v" { verbose = true } else { paths.append(argument) }
}
if paths.isEmpty {
    FileHandle.standardError.write(Data("usage: promql-conformance [--verbose] <file.test | directory> ...\n".utf8))
    exit(2)
}

var files: [String] = []
for path in paths {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        files += names.filter { $0.hasSuffix(".test") }.sorted().map { path + "/" + $0 }
    } else {
        files.append(path)
    }
}

var passed = 0
var failed = 0
for file in files {
    let result = ConformanceRunner.run(path: file)
    print(result.summary)
    if verbose {
        for failure in result.failures { print("  FAIL " + failure) }
        for detail in result.unsupportedDetails { print("  UNSUPPORTED " + detail) }
    }
    passed += result.passed
    failed += result.failed
}
print("\(passed) passed, \(failed) failed")
exit(failed == 0 ? 0 : 1)
