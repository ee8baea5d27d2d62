import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A problem with an output path, found before anything was written: exit code 2.
struct OutputPathError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

/// Checks output paths given on the command line before anything runs, so a bad one costs
/// the user nothing: Drill never deletes, replaces or writes into the place of a folder.
enum OutputPath {
  /// `path` names a file Drill may create or replace: not empty, not a folder (nor a link to
  /// one), and not inside something that is a file.
  static func checkFile(_ path: String, option: String, command: String, example: String) throws(OutputPathError) {
    guard !path.isEmpty else {
      throw OutputPathError(
        message: "drill \(command): \(option) \"\": the path is empty; \(option) takes a file path, for example \(option) \(example)")
    }
    var isDirectory: ObjCBool = false
    if path.hasSuffix("/") || FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue {
      let inside = (path as NSString).appendingPathComponent(example)
      throw OutputPathError(
        message: "drill \(command): \(option) \"\(path)\" is a folder; \(option) takes a file path (for example \"\(inside)\"). "
          + "Drill never replaces a folder; nothing was written.")
    }
    try checkAncestors(of: path, option: option, command: command)
  }

  /// `path` names a folder Drill may create or write files into: not empty and not a file.
  static func checkDirectory(_ path: String, option: String, command: String) throws(OutputPathError) {
    guard !path.isEmpty else {
      throw OutputPathError(
        message: "drill \(command): \(option) \"\": the path is empty; \(option) takes a folder, for example \(option) charts")
    }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
      throw OutputPathError(message: "drill \(command): \(option) \"\(path)\" is a file; \(option) takes a folder. Nothing was written.")
    }
    try checkAncestors(of: path, option: option, command: command)
  }

  /// Every existing ancestor of `path` must be a folder, or nothing could be created there.
  private static func checkAncestors(of path: String, option: String, command: String) throws(OutputPathError) {
    var parent = (path as NSString).deletingLastPathComponent
    while !parent.isEmpty && parent != "/" {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory) {
        if !isDirectory.boolValue {
          throw OutputPathError(
            message: "drill \(command): \(option) \"\(path)\": \"\(parent)\" is a file, not a folder. Nothing was written.")
        }
        return
      }
      parent = (parent as NSString).deletingLastPathComponent
    }
  }
}

/// The output files of one command, written as one transaction: every file goes to a
/// temporary file in its destination folder first, then all are renamed into place. If any
/// step fails, or SIGINT / SIGTERM arrives while they are written, the temporaries are
/// removed, files already renamed are put back as they were, folders the transaction made
/// are removed again, and nothing of the command is left behind (exit 130 / 143 on a signal).
/// A destination that is a folder is never touched: it is an error.
final class OutputTransaction {
  private struct Entry {
    var destination: String
    var contents: Data
  }

  private var entries: [Entry] = []
  /// Folders to create even when no file goes into them (for example `--svg DIR` with no chart).
  private var folders: [String] = []

  /// Called between the temporary files and the renames; tests use it to fail or pause there.
  var beforeRename: ((Int) throws -> Void)?

  init() {}

  /// True when nothing is to be written.
  var isEmpty: Bool { entries.isEmpty && folders.isEmpty }

  /// Adds a file to write at `path`.
  func add(_ text: String, at path: String) { entries.append(Entry(destination: path, contents: Data(text.utf8))) }

  /// Adds a file `name` inside the folder `directory`.
  func add(_ text: String, named name: String, in directory: String) {
    folders.append(directory)
    add(text, at: (directory as NSString).appendingPathComponent(name))
  }

  /// Writes every file, or none. Throws the first failure, after undoing everything.
  func commit() throws {
    guard !isEmpty else { return }  // nothing to write: no signal handling to set up either
    let journal = OutputJournal.shared
    journal.begin()
    defer { journal.end() }
    do {
      for folder in folders { try journal.step { try journal.createFolder(folder) } }
      var temporaries: [String] = []
      for entry in entries {
        let folder = (entry.destination as NSString).deletingLastPathComponent
        if !folder.isEmpty { try journal.step { try journal.createFolder(folder) } }
        try journal.step { try Self.refuseFolder(at: entry.destination) }
        let temporary = try journal.step { try journal.writeTemporary(entry.contents, beside: entry.destination) }
        temporaries.append(temporary)
      }
      if let pause = ProcessInfo.processInfo.environment["DRILL_TEST_PAUSE_BEFORE_RENAME"], let seconds = Double(pause) {
        Thread.sleep(forTimeInterval: seconds)
      }
      for (index, entry) in entries.enumerated() {
        try beforeRename?(index)
        try journal.step { try journal.moveIntoPlace(temporaries[index], to: entry.destination) }
      }
      journal.step { journal.commitAll() }
    } catch {
      journal.step { journal.rollBack() }
      throw error
    }
  }

  private static func refuseFolder(at path: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
      throw OutputPathError(message: "\"\(path)\" is a folder; Drill never replaces a folder")
    }
  }
}

/// What the running transaction has done so far, so that a failure or a signal can undo it.
/// One per process; its lock makes each step and the signal handler's roll-back exclusive.
final class OutputJournal: @unchecked Sendable {
  static let shared = OutputJournal()

  private let lock = NSLock()
  private var temporaries: [String] = []
  /// Destinations renamed into place, each with the backup (a hard link) of the file it replaced.
  private var placed: [(destination: String, backup: String?)] = []
  private var createdFolders: [String] = []
  private var counter = 0
  private var signalSources: [DispatchSourceSignal] = []

  /// Starts a transaction: from now on SIGINT and SIGTERM roll it back and exit.
  func begin() {
    lock.lock()
    temporaries = []
    placed = []
    createdFolders = []
    lock.unlock()
    for (number, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { [self] in
        lock.lock()
        rollBackLocked()
        FileHandle.standardError.write(Data("\ndrill: interrupted; no output file was written\n".utf8))
        exit(status)
      }
      source.resume()
      signalSources.append(source)
      signal(number, SIG_IGN)
    }
  }

  /// Ends the transaction and gives SIGINT and SIGTERM back their usual effect.
  func end() {
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
    for source in signalSources { source.cancel() }
    signalSources = []
  }

  /// Runs one step of the transaction while no signal handler can roll back half of it.
  func step<T>(_ body: () throws -> T) rethrows -> T {
    lock.lock()
    defer { lock.unlock() }
    return try body()
  }

  /// Creates `path` and any missing folders above it, remembering each one made.
  func createFolder(_ path: String) throws {
    var missing: [String] = []
    var current = path
    var isDirectory: ObjCBool = false
    while !current.isEmpty && !FileManager.default.fileExists(atPath: current, isDirectory: &isDirectory) {
      missing.append(current)
      let parent = (current as NSString).deletingLastPathComponent
      if parent == current { break }
      current = parent
    }
    if !current.isEmpty && FileManager.default.fileExists(atPath: current) && !isDirectory.boolValue {
      throw OutputPathError(message: "\"\(current)\" is a file, not a folder")
    }
    for folder in missing.reversed() {
      guard mkdir(folder, 0o755) == 0 else { throw POSIXFailure(operation: "create the folder", path: folder, code: errno) }
      createdFolders.append(folder)
    }
  }

  /// Writes `contents` to a new temporary file in the destination's folder.
  func writeTemporary(_ contents: Data, beside destination: String) throws -> String {
    counter += 1
    let name = ".\((destination as NSString).lastPathComponent).drill-\(getpid())-\(counter).tmp"
    let path = ((destination as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
    temporaries.append(path)
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw POSIXFailure(operation: "create", path: destination, code: errno) }
    defer { close(descriptor) }
    try contents.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
      var offset = 0
      while offset < buffer.count {
        let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          throw POSIXFailure(operation: "write", path: destination, code: errno)
        }
        offset += written
      }
    }
    guard fsync(descriptor) == 0 || errno == EINVAL else { throw POSIXFailure(operation: "write", path: destination, code: errno) }
    return path
  }

  /// Moves a temporary file over its destination, keeping a hard link to the file it replaces.
  func moveIntoPlace(_ temporary: String, to destination: String) throws {
    var backup: String?
    if FileManager.default.fileExists(atPath: destination) {
      counter += 1
      let candidate = ((destination as NSString).deletingLastPathComponent as NSString)
        .appendingPathComponent(".\((destination as NSString).lastPathComponent).drill-\(getpid())-\(counter).old")
      if link(destination, candidate) == 0 { backup = candidate }
    }
    guard rename(temporary, destination) == 0 else {
      let code = errno
      if let backup { unlink(backup) }
      throw POSIXFailure(operation: "move into place", path: destination, code: code)
    }
    temporaries.removeAll { $0 == temporary }
    placed.append((destination, backup))
  }

  /// Every file is in place: drop the backups and forget the transaction.
  func commitAll() {
    for entry in placed { if let backup = entry.backup { unlink(backup) } }
    temporaries = []
    placed = []
    createdFolders = []
  }

  /// Undoes every step taken so far.
  func rollBack() { rollBackLocked() }

  /// Undoes every step; the caller holds the lock.
  private func rollBackLocked() {
    for path in temporaries { unlink(path) }
    for entry in placed.reversed() {
      if let backup = entry.backup { rename(backup, entry.destination) } else { unlink(entry.destination) }
    }
    // Only folders this transaction made, deepest first, and only while empty.
    for folder in createdFolders.reversed() { rmdir(folder) }
    temporaries = []
    placed = []
    createdFolders = []
  }
}

/// A failed system call on an output file, with the path and the system's reason.
struct POSIXFailure: Error, CustomStringConvertible, LocalizedError {
  var operation: String
  var path: String
  var code: Int32
  var description: String { "cannot \(operation) \"\(path)\": \(String(cString: strerror(code)))" }
  var errorDescription: String? { description }
}

extension OutputTransaction {
  /// Commits, and on failure prints why and returns the exit code: 2 when a destination is a
  /// folder (bad input), 1 when writing failed. Nil when every file was written.
  func commit(command: String, output: StandardStreams) -> Int32? {
    do {
      try commit()
      return nil
    } catch let error as OutputPathError {
      output.err("drill \(command): \(error.message); nothing was written.")
      return 2
    } catch {
      output.err("drill \(command): \(error.localizedDescription); nothing was written.")
      return 1
    }
  }
}
