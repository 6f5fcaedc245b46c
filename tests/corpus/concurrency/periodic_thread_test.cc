#include "corpus/concurrency/periodic_thread.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "gtest/gtest.h"

namespace biocorpus {
namespace {

using std::chrono::milliseconds;

// Counts ticks and lets the test wait for a number of them.
struct Ticks {
  std::mutex mu;
  std::condition_variable changed;
  int count = 0;
  void Tick() {
    std::lock_guard<std::mutex> lock(mu);
    ++count;
    changed.notify_all();
  }
  // Waits (for at most a minute, so that a broken thread fails the test
  // rather than hanging it) until `n` ticks have run.
  bool WaitFor(int n) {
    std::unique_lock<std::mutex> lock(mu);
    return changed.wait_for(lock, std::chrono::minutes(1), [&] { return count >= n; });
  }
  int Count() {
    std::lock_guard<std::mutex> lock(mu);
    return count;
  }
};

TEST(PeriodicThreadTest, WakeRunsATickWithoutWaitingForTheInterval) {
  Ticks ticks;
  PeriodicThread thread(std::chrono::hours(1), [&] { ticks.Tick(); });
  thread.Wake();
  EXPECT_TRUE(ticks.WaitFor(1));
  thread.Wake();
  EXPECT_TRUE(ticks.WaitFor(2));
}

TEST(PeriodicThreadTest, TicksEveryIntervalAndAtOnceWhenAsked) {
  Ticks ticks;
  PeriodicThread thread(milliseconds(1), [&] { ticks.Tick(); });
  EXPECT_TRUE(ticks.WaitFor(3));
  Ticks first;
  PeriodicThread at_once(std::chrono::hours(1), [&] { first.Tick(); },
                         PeriodicThread::FirstTick::kAtOnce);
  EXPECT_TRUE(first.WaitFor(1));
}

TEST(PeriodicThreadTest, NoTickRunsAfterStop) {
  Ticks ticks;
  PeriodicThread thread(milliseconds(1), [&] { ticks.Tick(); });
  ASSERT_TRUE(ticks.WaitFor(1));
  thread.Stop();
  const int stopped_at = ticks.Count();
  thread.Wake();
  thread.Stop();  // Idempotent.
  EXPECT_EQ(ticks.Count(), stopped_at);
}

}  // namespace
}  // namespace biocorpus
