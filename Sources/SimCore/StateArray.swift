/// An array for state that event handlers write many times per event (load balancers,
/// instances, random streams, the event heap itself): its elements are written in place,
/// without the copy-on-write check that `Array` makes on every write through it.
///
/// An `Array` nested in a model's struct checks its buffer's uniqueness at each element
/// write (a runtime call, and the spills around it): the standard case made about fifty such
/// checks per request, and its instructions fell by a seventh without them. A `StateArray`
/// makes that check when asked, once, in ``makeUnique()``: its owner calls it before a
/// stretch of writes in which no copy of the array can be made. ``Simulator/run(until:handler:stopWhen:)`` is such a stretch: it makes
/// its own queue unique and asks its handler to do the same for every state array it owns
/// (``EventHandler/prepareForEvents()``) before it handles the first event, so a model
/// copied between runs (a what-if from a point in time) still behaves as a value: each copy
/// gets storage of its own before it writes.
///
/// Value semantics therefore hold under one rule: **after a copy, call ``makeUnique()``
/// before writing an element.** Growing (``append(_:)``) and emptying check by themselves.
/// In debug builds every element write checks the rule, so a test that breaks it stops at
/// the write rather than changing a copy.
public struct StateArray<Element> {
  /// The elements: a block of `capacity` slots, the first `count` initialised.
  @usableFromInline final class Storage {
    @usableFromInline let base: UnsafeMutablePointer<Element>
    @usableFromInline let capacity: Int
    @usableFromInline var count = 0

    @usableFromInline init(capacity: Int) {
      self.capacity = capacity
      base = UnsafeMutablePointer.allocate(capacity: capacity)
    }

    /// A new block of `capacity` (at least `count`) holding a copy of these elements.
    @usableFromInline func copy(capacity newCapacity: Int) -> Storage {
      let copy = Storage(capacity: newCapacity)
      copy.base.initialize(from: base, count: count)
      copy.count = count
      return copy
    }

    deinit {
      base.deinitialize(count: count)
      base.deallocate()
    }
  }

  @usableFromInline var storage: Storage
  /// `storage.base` and `storage.count`, kept beside the reference: an element access loads
  /// one word for its bounds and one for its address, not the reference first.
  @usableFromInline var base: UnsafeMutablePointer<Element>
  @usableFromInline var held: Int

  /// An empty array with room for `capacity` elements before it grows.
  @inlinable public init(capacity: Int = 0) {
    storage = Storage(capacity: capacity)
    base = storage.base
    held = 0
  }

  /// The elements of `elements`, in order.
  @inlinable public init<S: Sequence>(_ elements: S) where S.Element == Element {
    self.init(capacity: elements.underestimatedCount)
    for element in elements { append(element) }
  }

  /// `count` copies of `element`.
  @inlinable public init(repeating element: Element, count: Int) {
    self.init(capacity: count)
    storage.base.initialize(repeating: element, count: count)
    storage.count = count
    held = count
  }

  /// Gives this array storage of its own if a copy shares it. Call before writing
  /// elements after this array (or anything holding it) may have been copied.
  @inlinable @inline(__always) public mutating func makeUnique() {
    if _slowPath(!isKnownUniquelyReferenced(&storage)) { replaceStorage(capacity: storage.capacity) }
  }

  @usableFromInline mutating func replaceStorage(capacity: Int) {
    storage = storage.copy(capacity: capacity)
    base = storage.base
  }

  /// Adds `element` at the end, growing (and un-sharing) the storage as needed.
  @inlinable public mutating func append(_ element: Element) {
    if held == storage.capacity {
      replaceStorage(capacity: Swift.max(4, storage.capacity * 2))
    } else {
      makeUnique()
    }
    (base + held).initialize(to: element)
    held += 1
    storage.count = held
  }

  /// Adds the elements of `elements` at the end, in order.
  @inlinable public mutating func append<S: Sequence>(contentsOf elements: S) where S.Element == Element {
    for element in elements { append(element) }
  }

  /// Removes every element (keeping the capacity when asked and the storage is not shared).
  @inlinable public mutating func removeAll(keepingCapacity: Bool = false) {
    if keepingCapacity && isKnownUniquelyReferenced(&storage) {
      base.deinitialize(count: held)
      storage.count = 0
    } else {
      storage = Storage(capacity: keepingCapacity ? storage.capacity : 0)
      base = storage.base
    }
    held = 0
  }

  /// The element at `index`, read or written in place (a write assumes ``makeUnique()``
  /// was called since the last copy; debug builds check it).
  @inlinable public subscript(index: Int) -> Element {
    @inline(__always) unsafeAddress {
      precondition(UInt(bitPattern: index) < UInt(bitPattern: held), "state array index \(index) out of range 0..<\(held)")
      return UnsafePointer(base + index)
    }
    @inline(__always) unsafeMutableAddress {
      precondition(UInt(bitPattern: index) < UInt(bitPattern: held), "state array index \(index) out of range 0..<\(held)")
      checkUnshared()
      return base + index
    }
  }

  /// The first element's address, for code that walks the elements itself (a heap's sift):
  /// writes through it follow the same rule as the subscript's.
  @inlinable public var baseAddress: UnsafeMutablePointer<Element> {
    @inline(__always) mutating get {
      checkUnshared()
      return base
    }
  }

  /// In debug builds (the tests'), stops at a write to storage a copy shares: the rule was
  /// broken. (`assert` would not do: the package optimises its libraries in debug builds too,
  /// which drops assertions; `DEBUG` is still set there.) Release builds check nothing.
  @inlinable @inline(__always) mutating func checkUnshared() {
    #if DEBUG
      precondition(isKnownUniquelyReferenced(&storage), "a state array written while a copy shares it: call makeUnique() first")
    #endif
  }
}

extension StateArray: RandomAccessCollection {
  public typealias Index = Int
  public typealias Indices = Range<Int>
  @inlinable public var startIndex: Int { 0 }
  @inlinable public var endIndex: Int { held }
  @inlinable public var count: Int { held }
  @inlinable public var isEmpty: Bool { held == 0 }
}

// Element writes through the collection's algorithms (`swapAt`, `sort`) follow the
// subscript's rule.
extension StateArray: MutableCollection {}

extension StateArray: ExpressibleByArrayLiteral {
  @inlinable public init(arrayLiteral elements: Element...) { self.init(elements) }
}

extension StateArray: Equatable where Element: Equatable {
  @inlinable public static func == (a: Self, b: Self) -> Bool { a.elementsEqual(b) }
}

extension StateArray: CustomStringConvertible {
  public var description: String { Array(self).description }
}

// Shared storage is only written after `makeUnique()`, as an `Array`'s after its own check.
extension StateArray: @unchecked Sendable where Element: Sendable {}
