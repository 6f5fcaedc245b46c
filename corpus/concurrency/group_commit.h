#ifndef BIOCORPUS_CORPUS_CONCURRENCY_GROUP_COMMIT_H_
#define BIOCORPUS_CORPUS_CONCURRENCY_GROUP_COMMIT_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace biocorpus {

// Commits the items of concurrent callers in groups: a caller hands in its
// item and waits; the first waiting caller that finds no group being
// committed takes every item waiting (at most `max_group`, oldest first),
// commits them with one call of `commit`, and hands each caller its result.
// While a group is committed the next one gathers, so that N concurrent
// callers cost far fewer than N commits (one fsync each, for a writer) and a
// lone caller waits for nobody.
//
// `commit` gets the items in arrival order and must return exactly one
// result per item, in the same order; it runs on a caller's thread, one
// group at a time. Thread-safe.
template <typename Item, typename Result>
class GroupCommit {
 public:
  using CommitFn = std::function<std::vector<Result>(std::vector<Item>)>;

  GroupCommit(size_t max_group, CommitFn commit)
      : max_group_(max_group < 1 ? 1 : max_group), commit_(std::move(commit)) {}

  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Commits `item` in the next group and returns its result.
  Result Commit(Item item) {
    Waiter me{std::move(item), std::nullopt};
    std::unique_lock<std::mutex> lock(mu_);
    waiting_.push_back(&me);
    while (!me.result.has_value()) {
      if (committing_) {
        done_.wait(lock);
        continue;
      }
      committing_ = true;
      std::vector<Waiter*> group;
      while (!waiting_.empty() && group.size() < max_group_) {
        group.push_back(waiting_.front());
        waiting_.pop_front();
      }
      lock.unlock();
      std::vector<Item> items;
      items.reserve(group.size());
      for (Waiter* waiter : group) items.push_back(std::move(waiter->item));
      std::vector<Result> results = commit_(std::move(items));
      lock.lock();
      for (size_t i = 0; i < group.size(); ++i) group[i]->result.emplace(std::move(results[i]));
      committing_ = false;
      ++groups_;
      done_.notify_all();
    }
    return std::move(*me.result);
  }

  // Callers waiting whose items no group has taken yet.
  size_t waiting() const {
    std::lock_guard<std::mutex> lock(mu_);
    return waiting_.size();
  }

  // Groups committed so far.
  size_t groups() const {
    std::lock_guard<std::mutex> lock(mu_);
    return groups_;
  }

 private:
  struct Waiter {
    Item item;
    std::optional<Result> result;
  };

  const size_t max_group_;
  const CommitFn commit_;
  mutable std::mutex mu_;
  std::condition_variable done_;
  std::deque<Waiter*> waiting_;
  bool committing_ = false;
  size_t groups_ = 0;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_CONCURRENCY_GROUP_COMMIT_H_
