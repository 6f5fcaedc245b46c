#ifndef BIOCORPUS_CORPUS_RPC_COMPLETION_QUEUE_SERVING_H_
#define BIOCORPUS_CORPUS_RPC_COMPLETION_QUEUE_SERVING_H_

// Unary methods served from completion queues by a fixed set of threads, one
// queue each, as gRPC's own benchmark servers do: a thread takes a call off
// its queue, answers it in place and takes the next, so that no thread is
// created or handed a call under load. The other methods of a service stay
// with the sync server (a service may mix the two: its async methods are
// marked with the generated WithAsyncMethod_ wrappers).
//
// A call that may wait (the handler's own test, e.g. for a commit token the
// replica does not hold yet) is answered on a thread of its own instead, so
// that it holds no queue thread while it waits.

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace biocorpus {

// What ServerRunner drives: queues added to the builder before the server is
// built, the threads started once it runs, and stopped after it has shut
// down.
class CompletionQueueServing {
 public:
  // `threads`: queue threads (0: one per core).
  explicit CompletionQueueServing(int threads);
  ~CompletionQueueServing();

  CompletionQueueServing(const CompletionQueueServing&) = delete;
  CompletionQueueServing& operator=(const CompletionQueueServing&) = delete;

  // Adds the async method `request` (a generated RequestX) of `service`,
  // answered by its method `handler` (the sync signature), in place unless
  // `waits` (may be null) says the call may wait. Before AddTo().
  template <typename Service, typename Request, typename Response>
  using RequestMethod = void (Service::*)(grpc::ServerContext*, Request*,
                                          grpc::ServerAsyncResponseWriter<Response>*,
                                          grpc::CompletionQueue*, grpc::ServerCompletionQueue*,
                                          void*);
  template <typename Service, typename Request, typename Response>
  using HandlerMethod = grpc::Status (Service::*)(grpc::ServerContext*, const Request*,
                                                  Response*);
  template <typename Service, typename Request, typename Response>
  void AddMethod(Service* service, RequestMethod<Service, Request, Response> request,
                 HandlerMethod<Service, Request, Response> handler,
                 std::function<bool(const Request&)> waits);

  // Creates the queues on `builder`.
  void AddTo(grpc::ServerBuilder* builder);
  // Arms every method on every queue and starts the threads; after the
  // server is built and started.
  void Start();
  // After the server has shut down: waits for calls answered on threads of
  // their own, shuts the queues down and joins the threads. Idempotent.
  void Stop();

  // Calls answered in place and on threads of their own, so far.
  size_t calls_in_place() const { return in_place_.load(); }
  size_t calls_on_own_thread() const { return on_own_thread_.load(); }

 private:
  // One completion queue event's owner.
  class Tag {
   public:
    virtual ~Tag() = default;
    virtual void Proceed(bool ok) = 0;
  };
  template <typename Service, typename Request, typename Response>
  class UnaryCall;

  // A call answered off the queue threads starts and ends.
  void BeginOwnThread();
  void EndOwnThread();

  const int thread_count_;
  // Arms one call of each method on `queue`.
  std::vector<std::function<void(grpc::ServerCompletionQueue*)>> arm_;
  std::vector<std::unique_ptr<grpc::ServerCompletionQueue>> queues_;
  std::vector<std::thread> threads_;
  bool stopped_ = false;

  std::mutex mu_;
  std::condition_variable own_threads_done_;
  size_t own_threads_ = 0;  // Answering now, on threads of their own.
  std::atomic<size_t> in_place_{0};
  std::atomic<size_t> on_own_thread_{0};
};

// One call of one method: requested, answered, finished, deleted; it arms
// its successor as soon as it is matched, so a queue always has one waiting.
template <typename Service, typename Request, typename Response>
class CompletionQueueServing::UnaryCall final : public CompletionQueueServing::Tag {
 public:
  struct Method {
    CompletionQueueServing* owner;
    Service* service;
    RequestMethod<Service, Request, Response> request;
    HandlerMethod<Service, Request, Response> handler;
    std::function<bool(const Request&)> waits;
  };

  // Requests the next call of `method` on `queue`.
  static void Arm(std::shared_ptr<const Method> method, grpc::ServerCompletionQueue* queue) {
    auto* call = new UnaryCall(std::move(method), queue);
    (call->method_->service->*(call->method_->request))(&call->context_, &call->request_,
                                                         &call->responder_, queue, queue, call);
  }

  void Proceed(bool ok) override {
    if (finishing_ || !ok) {  // Answered, or the server is shutting down.
      delete this;
      return;
    }
    Arm(method_, queue_);
    if (method_->waits && method_->waits(request_)) {
      method_->owner->BeginOwnThread();
      std::thread([this] {
        CompletionQueueServing* owner = method_->owner;
        Answer();
        owner->EndOwnThread();
      }).detach();
      return;
    }
    method_->owner->in_place_.fetch_add(1, std::memory_order_relaxed);
    Answer();
  }

 private:
  UnaryCall(std::shared_ptr<const Method> method, grpc::ServerCompletionQueue* queue)
      : method_(std::move(method)), queue_(queue), responder_(&context_) {}

  void Answer() {
    const grpc::Status status =
        (method_->service->*(method_->handler))(&context_, &request_, &response_);
    finishing_ = true;
    if (status.ok()) {
      responder_.Finish(response_, status, this);
    } else {
      responder_.FinishWithError(status, this);
    }
  }

  const std::shared_ptr<const Method> method_;
  grpc::ServerCompletionQueue* const queue_;
  grpc::ServerContext context_;
  Request request_;
  Response response_;
  grpc::ServerAsyncResponseWriter<Response> responder_;
  bool finishing_ = false;
};

template <typename Service, typename Request, typename Response>
void CompletionQueueServing::AddMethod(
    Service* service, RequestMethod<Service, Request, Response> request,
    HandlerMethod<Service, Request, Response> handler, std::function<bool(const Request&)> waits) {
  using Call = UnaryCall<Service, Request, Response>;
  auto method = std::make_shared<const typename Call::Method>(
      typename Call::Method{this, service, request, handler, std::move(waits)});
  arm_.push_back([method](grpc::ServerCompletionQueue* queue) { Call::Arm(method, queue); });
}

}  // namespace biocorpus

#endif  // BIOCORPUS_CORPUS_RPC_COMPLETION_QUEUE_SERVING_H_
