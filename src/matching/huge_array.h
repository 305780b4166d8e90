// A fixed-size array of trivially copyable values in an anonymous mapping of its own, which the
// kernel is asked to back with 2 MiB pages (Debian's transparent huge pages are given only where
// asked). For arrays of many megabytes read at random: with 4 KiB pages most such reads also
// miss the TLB. Memory from malloc would not do: it is often memory the process touched before,
// already in small pages.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <span>
#include <type_traits>
#include <utility>

namespace jobaid::matching {

template <typename T>
class HugeArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  HugeArray() = default;
  // n values, zeroed. Throws std::bad_alloc when the mapping fails.
  explicit HugeArray(size_t n) : size_(n) {
    if (n == 0) return;
    bytes_ = (n * sizeof(T) + kHuge - 1) / kHuge * kHuge;
    // Mapped a huge page larger, then trimmed to a start on a huge page's boundary (older
    // kernels place anonymous mappings on 4 KiB boundaries only).
    void* p =
        mmap(nullptr, bytes_ + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    const uintptr_t at = reinterpret_cast<uintptr_t>(p);
    const uintptr_t start = (at + kHuge - 1) / kHuge * kHuge;
    if (start > at) munmap(p, start - at);
    munmap(reinterpret_cast<void*>(start + bytes_), at + kHuge - start);
    data_ = reinterpret_cast<T*>(start);
    madvise(data_, bytes_, MADV_HUGEPAGE);  // advice: without it the array works the same
  }
  HugeArray(const HugeArray& other) : HugeArray(other.size_) {
    if (size_ > 0) std::memcpy(data_, other.data_, size_ * sizeof(T));
  }
  HugeArray(HugeArray&& other) noexcept { Swap(other); }
  HugeArray& operator=(HugeArray other) noexcept {
    Swap(other);
    return *this;
  }
  ~HugeArray() {
    if (data_ != nullptr) munmap(data_, bytes_);
  }

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  std::span<const T> subspan(size_t at, size_t n) const { return {data_ + at, n}; }

 private:
  static constexpr size_t kHuge = size_t{2} << 20;
  void Swap(HugeArray& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(bytes_, other.bytes_);
  }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t bytes_ = 0;  // mapped: size_ values rounded up to whole huge pages
};

}  // namespace jobaid::matching
