#include "ingest_service/pipeline/stream_ingester.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace biocorpus {

int StreamIngesterOptions::DefaultParsers() {
  return std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 4);
}

StreamSummary StreamIngester::Run(const StreamCallbacks& callbacks,
                                  const CallControl& call) const {
  struct Item {
    int64_t index = 0;
    DocumentInput input;
    std::string source_uri;  // The input's, kept for its answer.
    size_t bytes = 0;  // Counted against the window.
    PreparedInput prepared;
    bool ready = false;
  };
  std::mutex mu;
  std::condition_variable changed;
  std::deque<std::unique_ptr<Item>> window;  // Read order; not yet answered.
  std::deque<Item*> to_prepare;
  size_t window_bytes = 0;
  bool input_done = false;
  bool stop = false;
  auto cancelled = [&call] { return call.cancelled && call.cancelled(); };

  std::thread reader([&] {
    for (int64_t index = 0;; ++index) {
      auto item = std::make_unique<Item>();
      if (!callbacks.read(&item->input) || cancelled()) break;
      item->index = index;
      item->source_uri = item->input.source_uri;
      item->bytes = item->input.content.size() + item->input.source_uri.size();
      std::unique_lock<std::mutex> lock(mu);
      changed.wait(lock, [&] {
        return stop || window.empty() ||
               (window.size() < options_.window &&
                window_bytes + item->bytes <= options_.window_bytes);
      });
      if (stop) break;
      window_bytes += item->bytes;
      to_prepare.push_back(item.get());
      window.push_back(std::move(item));
      changed.notify_all();
    }
    std::lock_guard<std::mutex> lock(mu);
    input_done = true;
    changed.notify_all();
  });
  std::vector<std::thread> parsers;
  for (int i = 0; i < std::max(1, options_.parsers); ++i) {
    parsers.emplace_back([&] {
      for (;;) {
        Item* item = nullptr;
        {
          std::unique_lock<std::mutex> lock(mu);
          changed.wait(lock, [&] { return stop || !to_prepare.empty() || input_done; });
          if (stop || to_prepare.empty()) return;
          item = to_prepare.front();
          to_prepare.pop_front();
        }
        PreparedInput prepared = pipeline_->Prepare(std::move(item->input), call);
        std::lock_guard<std::mutex> lock(mu);
        item->prepared = std::move(prepared);
        item->ready = true;
        changed.notify_all();
      }
    });
  }

  StreamSummary summary;
  for (;;) {
    std::vector<std::unique_ptr<Item>> group;
    {
      std::unique_lock<std::mutex> lock(mu);
      changed.wait(lock, [&] {
        return (!window.empty() && window.front()->ready) || (input_done && window.empty());
      });
      while (!window.empty() && window.front()->ready) {
        window_bytes -= window.front()->bytes;
        group.push_back(std::move(window.front()));
        window.pop_front();
      }
      changed.notify_all();
    }
    if (group.empty()) break;  // The input is done and answered.
    if (cancelled()) {
      summary.status = absl::CancelledError("stream cancelled");
      break;
    }
    std::vector<PreparedInput> prepared;
    prepared.reserve(group.size());
    for (const auto& item : group) prepared.push_back(std::move(item->prepared));
    std::vector<absl::StatusOr<IngestOutcome>> outcomes =
        pipeline_->Commit(std::move(prepared), call);
    bool answered = true;
    for (size_t i = 0; i < group.size() && answered; ++i) {
      absl::StatusOr<IngestOutcome>& outcome = outcomes[i];
      if (outcome.ok()) {
        for (const RecordOutcome& record : *outcome) {
          if (record.written.kind != WriteKind::kUnchanged) summary.stored = true;
        }
      }
      answered = callbacks.write(group[i]->index, group[i]->source_uri, std::move(outcome));
      if (answered) ++summary.answered;
    }
    if (!answered) {
      summary.status = absl::CancelledError("the client stopped reading results");
      break;
    }
  }
  // A caller that gave up while the last inputs were answered gave up all the
  // same.
  if (summary.status.ok() && cancelled()) summary.status = absl::CancelledError("stream cancelled");
  {
    std::lock_guard<std::mutex> lock(mu);
    stop = true;
    changed.notify_all();
  }
  reader.join();
  for (std::thread& parser : parsers) parser.join();
  return summary;
}

}  // namespace biocorpus
