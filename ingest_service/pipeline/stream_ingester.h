#ifndef BIOCORPUS_INGEST_SERVICE_PIPELINE_STREAM_INGESTER_H_
#define BIOCORPUS_INGEST_SERVICE_PIPELINE_STREAM_INGESTER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ingest_service/pipeline/document_input.h"
#include "ingest_service/pipeline/ingest_pipeline.h"

namespace biocorpus {

struct StreamIngesterOptions {
  // Inputs kept between reading and answering, and their bytes (but always
  // at least one input).
  size_t window = 64;
  size_t window_bytes = 64 << 20;
  // Threads that prepare the inputs of one stream.
  int parsers = DefaultParsers();

  // One per core, at most 4.
  static int DefaultParsers();
};

// Where a stream's inputs come from and its results go.
struct StreamCallbacks {
  // Reads the next input into `input`; false at the end of the stream.
  // Called from one thread of the ingester's own.
  std::function<bool(DocumentInput* input)> read;
  // Sends the outcome of the input read `index`-th (from 0), in read order,
  // once it is durable (or refused). False when the receiver has gone.
  std::function<bool(int64_t index, const std::string& source_uri,
                     absl::StatusOr<IngestOutcome> outcome)>
      write;
};

// What a stream did.
struct StreamSummary {
  // OK when every input was answered; Cancelled when the caller cancelled
  // or stopped taking results.
  absl::Status status;
  // Inputs answered.
  int64_t answered = 0;
  // Whether some document was created or changed (a bulk load).
  bool stored = false;
};

// Ingests a stream of inputs as a pipeline: a reader thread takes inputs into
// a bounded window, parser threads prepare them in parallel, and the calling
// thread writes them in read order, every run of prepared inputs at the
// front of the window in one group commit (IngestPipeline::Commit), then
// answers each in order. A bad input never stops the stream; a later input
// of the same document wins. Thread-safe; `pipeline` must outlive it.
class StreamIngester {
 public:
  StreamIngester(const IngestPipeline* pipeline, const StreamIngesterOptions& options = {})
      : pipeline_(pipeline), options_(options) {}

  // Runs the stream to its end, or until `call` is cancelled or `write`
  // fails. Returns once every thread it started has stopped.
  StreamSummary Run(const StreamCallbacks& callbacks, const CallControl& call) const;

 private:
  const IngestPipeline* pipeline_;
  StreamIngesterOptions options_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PIPELINE_STREAM_INGESTER_H_
