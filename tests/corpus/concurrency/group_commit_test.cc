#include "corpus/concurrency/group_commit.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace biocorpus {
namespace {

// A commit that records each group and, while `held`, keeps the group it
// is committing until the test lets it go.
struct Recorder {
  std::mutex mu;
  std::condition_variable changed;
  bool held = false;
  bool committing = false;
  std::vector<std::vector<int>> groups;

  std::vector<int> Commit(std::vector<int> items) {
    std::unique_lock<std::mutex> lock(mu);
    groups.push_back(items);
    committing = true;
    changed.notify_all();
    changed.wait(lock, [&] { return !held; });
    committing = false;
    std::vector<int> results;
    for (int item : items) results.push_back(item * 10);
    return results;
  }
  void WaitUntilCommitting() {
    std::unique_lock<std::mutex> lock(mu);
    changed.wait(lock, [&] { return committing; });
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu);
    held = false;
    changed.notify_all();
  }
};

// Waits until `n` callers are queued behind the group being committed.
template <typename Queue>
void WaitForWaiting(const Queue& queue, size_t n) {
  while (queue.waiting() < n) std::this_thread::yield();
}

TEST(GroupCommitTest, ALoneCallerCommitsAloneAndGetsItsResult) {
  Recorder recorder;
  GroupCommit<int, int> queue(8, [&](std::vector<int> items) { return recorder.Commit(items); });
  EXPECT_EQ(queue.Commit(4), 40);
  EXPECT_EQ(queue.Commit(5), 50);
  EXPECT_EQ(queue.groups(), 2u);
  ASSERT_EQ(recorder.groups.size(), 2u);
  EXPECT_EQ(recorder.groups[0], std::vector<int>{4});
}

TEST(GroupCommitTest, CallersArrivingDuringACommitShareTheNextOne) {
  Recorder recorder;
  recorder.held = true;
  GroupCommit<int, int> queue(8, [&](std::vector<int> items) { return recorder.Commit(items); });
  std::vector<int> results(6, -1);
  std::vector<std::thread> callers;
  callers.emplace_back([&] { results[0] = queue.Commit(0); });
  recorder.WaitUntilCommitting();
  for (int i = 1; i < 6; ++i) callers.emplace_back([&, i] { results[i] = queue.Commit(i); });
  WaitForWaiting(queue, 5);
  recorder.Release();
  for (std::thread& caller : callers) caller.join();

  for (int i = 0; i < 6; ++i) EXPECT_EQ(results[i], i * 10) << "caller " << i;
  EXPECT_EQ(queue.groups(), 2u);
  ASSERT_EQ(recorder.groups.size(), 2u);
  EXPECT_EQ(recorder.groups[0], std::vector<int>{0});
  EXPECT_EQ(recorder.groups[1].size(), 5u) << "the five waiting callers commit together";
}

TEST(GroupCommitTest, AGroupHoldsAtMostItsLimitOldestFirst) {
  Recorder recorder;
  recorder.held = true;
  GroupCommit<int, int> queue(2, [&](std::vector<int> items) { return recorder.Commit(items); });
  std::vector<std::thread> callers;
  callers.emplace_back([&] { queue.Commit(0); });
  recorder.WaitUntilCommitting();
  // One at a time, so that the order of arrival is known.
  for (int i = 1; i < 6; ++i) {
    callers.emplace_back([&, i] { queue.Commit(i); });
    WaitForWaiting(queue, static_cast<size_t>(i));
  }
  recorder.Release();
  for (std::thread& caller : callers) caller.join();

  ASSERT_EQ(recorder.groups.size(), 4u);
  EXPECT_EQ(recorder.groups[1], (std::vector<int>{1, 2}));
  EXPECT_EQ(recorder.groups[2], (std::vector<int>{3, 4}));
  EXPECT_EQ(recorder.groups[3], (std::vector<int>{5}));
}

}  // namespace
}  // namespace biocorpus
