#include "corpus/rpc/completion_queue_serving.h"

#include <algorithm>

namespace biocorpus {

CompletionQueueServing::CompletionQueueServing(int threads)
    : thread_count_(threads > 0 ? threads
                                : std::max(1, static_cast<int>(std::thread::hardware_concurrency()))) {}

CompletionQueueServing::~CompletionQueueServing() { Stop(); }

void CompletionQueueServing::AddTo(grpc::ServerBuilder* builder) {
  for (int i = 0; i < thread_count_; ++i) queues_.push_back(builder->AddCompletionQueue());
}

void CompletionQueueServing::Start() {
  for (const std::unique_ptr<grpc::ServerCompletionQueue>& queue : queues_) {
    for (const auto& arm : arm_) arm(queue.get());
    grpc::ServerCompletionQueue* q = queue.get();
    threads_.emplace_back([q] {
      void* tag = nullptr;
      bool ok = false;
      while (q->Next(&tag, &ok)) static_cast<Tag*>(tag)->Proceed(ok);
    });
  }
}

void CompletionQueueServing::Stop() {
  if (stopped_) return;
  stopped_ = true;
  {
    std::unique_lock<std::mutex> lock(mu_);
    own_threads_done_.wait(lock, [this] { return own_threads_ == 0; });
  }
  for (const std::unique_ptr<grpc::ServerCompletionQueue>& queue : queues_) queue->Shutdown();
  if (threads_.empty()) {
    // Never started: the queues are drained here (gRPC requires it).
    for (const std::unique_ptr<grpc::ServerCompletionQueue>& queue : queues_) {
      void* tag = nullptr;
      bool ok = false;
      while (queue->Next(&tag, &ok)) static_cast<Tag*>(tag)->Proceed(false);
    }
  }
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

void CompletionQueueServing::BeginOwnThread() {
  std::lock_guard<std::mutex> lock(mu_);
  ++own_threads_;
  on_own_thread_.fetch_add(1, std::memory_order_relaxed);
}

void CompletionQueueServing::EndOwnThread() {
  std::lock_guard<std::mutex> lock(mu_);
  if (--own_threads_ == 0) own_threads_done_.notify_all();
}

}  // namespace biocorpus
