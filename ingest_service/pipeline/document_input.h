#ifndef BIOCORPUS_INGEST_SERVICE_PIPELINE_DOCUMENT_INPUT_H_
#define BIOCORPUS_INGEST_SERVICE_PIPELINE_DOCUMENT_INPUT_H_

// What goes into the ingest pipeline and what comes out of it.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "biocorpus/v1/resources.pb.h"
#include "ingest_service/writer/document_writer.h"

namespace biocorpus {

// One input: the bytes of a document (or of a file of citation records).
struct DocumentInput {
  std::string content;
  // DOCUMENT_FORMAT_UNSPECIFIED: detected from the content.
  v1::DocumentFormat format = v1::DOCUMENT_FORMAT_UNSPECIFIED;
  // Where the caller got it; stored with the document, never fetched.
  std::string source_uri;
};

// What the caller of an ingest allows: a deadline, and a way to tell that it
// has given up.
struct CallControl {
  std::chrono::system_clock::time_point deadline = std::chrono::system_clock::time_point::max();
  // True once the caller has cancelled; may be empty (never cancelled).
  std::function<bool()> cancelled;

  // OK while the caller still wants an answer; DeadlineExceeded or Cancelled
  // (saying that nothing was written) once it does not.
  absl::Status StillWanted() const;
};

// What one record of an input became.
struct RecordOutcome {
  WriteResult written;
  // Annotations on its passages.
  int annotations = 0;
  // Things the parser skipped or guessed.
  std::vector<std::string> warnings;
};

// One outcome per record of the input, in input order (one for most inputs;
// one per record of a citation-record file).
using IngestOutcome = std::vector<RecordOutcome>;

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PIPELINE_DOCUMENT_INPUT_H_
