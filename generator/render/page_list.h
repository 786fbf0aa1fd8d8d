#pragma once
// The pages a site holds, shared with the sites made from it (Site::Changed): a new site copies
// pointers, not pages, and a page it changes is its own copy. Pages are read as const
// RenderedPage in page order, by index or by iterator, like a vector.
#include <cstddef>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

namespace clemency {

template <typename Page>
class SharedList {
  using Slots = std::vector<std::shared_ptr<Page>>;

 public:
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = Page;
    using difference_type = std::ptrdiff_t;
    using pointer = const Page*;
    using reference = const Page&;
    const_iterator() = default;
    explicit const_iterator(typename Slots::const_iterator at) : at_(at) {}
    reference operator*() const { return **at_; }
    pointer operator->() const { return at_->get(); }
    reference operator[](difference_type n) const { return *at_[n]; }
    const_iterator& operator++() { ++at_; return *this; }
    const_iterator operator++(int) { return const_iterator(at_++); }
    const_iterator& operator--() { --at_; return *this; }
    const_iterator operator--(int) { return const_iterator(at_--); }
    const_iterator& operator+=(difference_type n) { at_ += n; return *this; }
    const_iterator& operator-=(difference_type n) { at_ -= n; return *this; }
    const_iterator operator+(difference_type n) const { return const_iterator(at_ + n); }
    const_iterator operator-(difference_type n) const { return const_iterator(at_ - n); }
    friend const_iterator operator+(difference_type n, const_iterator it) { return it + n; }
    difference_type operator-(const const_iterator& other) const { return at_ - other.at_; }
    auto operator<=>(const const_iterator& other) const = default;

   private:
    typename Slots::const_iterator at_;
  };

  size_t size() const { return slots_.size(); }
  bool empty() const { return slots_.empty(); }
  const Page& operator[](size_t i) const { return *slots_[i]; }
  const_iterator begin() const { return const_iterator(slots_.cbegin()); }
  const_iterator end() const { return const_iterator(slots_.cend()); }
  // The pages of `pages`, in their order.
  void Assign(std::vector<Page> pages) {
    slots_.clear();
    slots_.reserve(pages.size());
    for (Page& page : pages) slots_.push_back(std::make_shared<Page>(std::move(page)));
  }
  // The `i`th page to change: a copy of its own when another list shares it.
  Page& Mutable(size_t i) {
    if (slots_[i].use_count() > 1) slots_[i] = std::make_shared<Page>(*slots_[i]);
    return *slots_[i];
  }
  void Set(size_t i, Page page) { slots_[i] = std::make_shared<Page>(std::move(page)); }
  void Insert(size_t i, Page page) {
    slots_.insert(slots_.begin() + i, std::make_shared<Page>(std::move(page)));
  }
  void Erase(size_t i) { slots_.erase(slots_.begin() + i); }

 private:
  Slots slots_;
};

}  // namespace clemency
