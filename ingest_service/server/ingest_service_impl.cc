#include "ingest_service/server/ingest_service_impl.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "corpus/model/resource_names.h"
#include "corpus/rpc/bearer_token.h"
#include "corpus/rpc/grpc_status.h"
#include "spdlog/spdlog.h"

namespace biocorpus {
namespace {

v1::IngestStatus ToIngestStatus(WriteKind kind) {
  switch (kind) {
    case WriteKind::kCreated:
      return v1::CREATED;
    case WriteKind::kUpdated:
      return v1::UPDATED;
    case WriteKind::kUnchanged:
      return v1::UNCHANGED;
  }
  return v1::INGEST_STATUS_UNSPECIFIED;
}

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

std::vector<DocumentNotes> TakeNotes(std::vector<ParsedDocument>* documents) {
  std::vector<DocumentNotes> notes(documents->size());
  for (size_t i = 0; i < documents->size(); ++i) {
    for (const v1::Passage& passage : (*documents)[i].passages) {
      notes[i].annotations += passage.annotations_size();
    }
    notes[i].warnings = std::move((*documents)[i].warnings);
  }
  return notes;
}

// A caller that has given up gets nothing written.
absl::Status StillWanted(const grpc::ServerContext& context) {
  if (std::chrono::system_clock::now() > context.deadline()) {
    return absl::DeadlineExceededError(
        "the call's deadline passed before the write; nothing was written");
  }
  if (context.IsCancelled()) {
    return absl::CancelledError("the call was cancelled; nothing was written");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status IngestServiceImpl::Authorize(const grpc::ServerContext& context,
                                          const char* method) const {
  if (token_.empty()) return absl::OkStatus();
  absl::Status status = CheckBearerToken(context, token_);
  if (!status.ok()) {
    spdlog::debug("refused method={} peer={} code={} reason=\"{}\"", method, context.peer(),
                 absl::StatusCodeToString(status.code()), std::string(status.message()));
  }
  return status;
}

absl::StatusOr<std::vector<ParsedDocument>> IngestServiceImpl::Prepare(
    const grpc::ServerContext& context, const v1::IngestDocumentRequest& request) const {
  absl::Status admitted =
      admission_ == nullptr ? absl::OkStatus() : admission_->Acquire(context.deadline());
  if (!admitted.ok()) return admitted;
  AdmissionTurn turn(admission_);
  absl::StatusOr<std::vector<ParsedDocument>> parsed =
      parser_->Parse(request.content(), request.format(), request.source_uri());
  if (!parsed.ok()) return parsed;
  for (ParsedDocument& document : *parsed) tagger_->Tag(&document);
  if (absl::Status wanted = StillWanted(context); !wanted.ok()) return wanted;
  return parsed;
}

absl::Status IngestServiceImpl::Respond(const v1::IngestDocumentRequest& request,
                                        const std::vector<DocumentNotes>& notes,
                                        absl::StatusOr<std::vector<WriteResult>> written,
                                        double elapsed_ms,
                                        v1::IngestDocumentResponse* response) const {
  if (!written.ok()) {
    if (metrics_ != nullptr) {
      metrics_->AddCounter("biocorpus_ingest_refused_documents_total",
                           "Documents refused, by status code.",
                           absl::StrCat("code=\"", absl::StatusCodeToString(written.status().code()), "\""),
                           1);
    }
    spdlog::warn("ingest source={} code={} reason=\"{}\" ms={:.2f}",
                 request.source_uri(),
                 absl::StatusCodeToString(written.status().code()),
                 std::string(written.status().message()), elapsed_ms);
    return written.status();
  }
  for (size_t i = 0; i < written->size(); ++i) {
    v1::IngestDocumentResponse* out =
        i == 0 ? response : response->add_additional_records();
    WriteResult& result = (*written)[i];
    out->set_status(ToIngestStatus(result.kind));
    out->set_passage_count(result.document.passage_count());
    out->set_annotation_count(notes[i].annotations);
    out->set_citation_count(result.citation_count);
    for (const std::string& warning : notes[i].warnings) out->add_warnings(warning);
    out->set_commit_token(absl::StrCat(result.sequence));
    *out->mutable_document() = std::move(result.document);
    spdlog::info(
        "ingest id={} format={} status={} passages={} source={} ms={:.2f}",
        out->document().name(), v1::DocumentFormat_Name(out->document().format()),
        v1::IngestStatus_Name(out->status()), out->passage_count(),
        request.source_uri(), elapsed_ms);
    if (metrics_ != nullptr) {
      metrics_->AddCounter(
          "biocorpus_ingested_documents_total", "Documents ingested, by format and outcome.",
          absl::StrCat("format=\"", v1::DocumentFormat_Name(out->document().format()),
                       "\",status=\"", v1::IngestStatus_Name(out->status()), "\""),
          1);
    }
  }
  if (metrics_ != nullptr) {
    metrics_->AddCounter("biocorpus_ingested_bytes_total",
                         "Bytes of documents ingested (stored or unchanged).", "",
                         static_cast<double>(request.content().size()));
  }
  return absl::OkStatus();
}

grpc::Status IngestServiceImpl::IngestDocument(
    grpc::ServerContext* context, const v1::IngestDocumentRequest* request,
    v1::IngestDocumentResponse* response) {
  if (absl::Status s = Authorize(*context, "IngestDocument"); !s.ok()) return ToGrpcStatus(s);
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::vector<ParsedDocument>> parsed = Prepare(*context, *request);
  if (!parsed.ok()) {
    return ToGrpcStatus(
        Respond(*request, {}, parsed.status(), MillisecondsSince(start), response));
  }
  const std::vector<DocumentNotes> notes = TakeNotes(&*parsed);
  return ToGrpcStatus(Respond(*request, notes, writer_->WriteAll(std::move(*parsed)),
                              MillisecondsSince(start), response));
}

grpc::Status IngestServiceImpl::IngestDocuments(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::IngestDocumentsResponse,
                             v1::IngestDocumentRequest>* stream) {
  if (absl::Status s = Authorize(*context, "IngestDocuments"); !s.ok()) return ToGrpcStatus(s);
  // A pipeline: a reader thread takes requests off the stream into a bounded
  // window, parser threads parse and tag them in parallel, and this thread
  // writes them in stream order, every run of parsed requests at the front
  // of the window in one group commit, then answers each in order. An answer
  // is sent only once its document is durable.
  struct Item {
    int64_t index = 0;
    v1::IngestDocumentRequest request;
    size_t bytes = 0;  // The request's size, counted against the window.
    std::chrono::steady_clock::time_point start;
    absl::StatusOr<std::vector<ParsedDocument>> parsed = absl::UnknownError("not parsed");
    bool ready = false;
  };
  std::mutex mu;
  std::condition_variable changed;
  std::deque<std::unique_ptr<Item>> window;  // Stream order; not yet answered.
  std::deque<Item*> to_parse;
  size_t window_bytes = 0;
  bool input_done = false;
  bool stop = false;

  std::thread reader([&] {
    for (int64_t index = 0;; ++index) {
      auto item = std::make_unique<Item>();
      if (!stream->Read(&item->request) || context->IsCancelled()) break;
      item->index = index;
      item->start = std::chrono::steady_clock::now();
      item->bytes = item->request.ByteSizeLong();
      std::unique_lock<std::mutex> lock(mu);
      changed.wait(lock, [&] {
        return stop || window.empty() ||
               (window.size() < kStreamWindow &&
                window_bytes + item->bytes <= kStreamWindowBytes);
      });
      if (stop) break;
      window_bytes += item->bytes;
      to_parse.push_back(item.get());
      window.push_back(std::move(item));
      changed.notify_all();
    }
    std::lock_guard<std::mutex> lock(mu);
    input_done = true;
    changed.notify_all();
  });
  std::vector<std::thread> parsers;
  const int parser_count =
      std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, kMaxStreamParsers);
  for (int i = 0; i < parser_count; ++i) {
    parsers.emplace_back([&] {
      for (;;) {
        Item* item = nullptr;
        {
          std::unique_lock<std::mutex> lock(mu);
          changed.wait(lock, [&] { return stop || !to_parse.empty() || input_done; });
          if (stop || to_parse.empty()) return;
          item = to_parse.front();
          to_parse.pop_front();
        }
        absl::StatusOr<std::vector<ParsedDocument>> parsed = Prepare(*context, item->request);
        std::lock_guard<std::mutex> lock(mu);
        item->parsed = std::move(parsed);
        item->ready = true;
        changed.notify_all();
      }
    });
  }

  grpc::Status result = grpc::Status::OK;
  // A stream that stored something is a bulk load: a snapshot follows it.
  bool wrote = false;
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
    if (context->IsCancelled()) {
      result = grpc::Status(grpc::StatusCode::CANCELLED, "stream cancelled");
      break;
    }
    // One commit for every parsed request of the group.
    std::vector<std::vector<DocumentNotes>> notes(group.size());
    std::vector<std::vector<ParsedDocument>> to_write;
    const absl::Status wanted = StillWanted(*context);
    for (size_t i = 0; i < group.size(); ++i) {
      if (!group[i]->parsed.ok()) continue;
      if (!wanted.ok()) {
        group[i]->parsed = wanted;
        continue;
      }
      notes[i] = TakeNotes(&*group[i]->parsed);
      to_write.push_back(std::move(*group[i]->parsed));
    }
    std::vector<absl::StatusOr<std::vector<WriteResult>>> written =
        writer_->WriteGroup(std::move(to_write));
    size_t next_written = 0;
    bool answered = true;
    for (size_t i = 0; i < group.size() && answered; ++i) {
      Item& item = *group[i];
      absl::StatusOr<std::vector<WriteResult>> outcome =
          item.parsed.ok() ? std::move(written[next_written++])
                           : absl::StatusOr<std::vector<WriteResult>>(item.parsed.status());
      v1::IngestDocumentsResponse response;
      response.set_index(item.index);
      response.set_source_uri(item.request.source_uri());
      const absl::Status status = Respond(item.request, notes[i], std::move(outcome),
                                          MillisecondsSince(item.start),
                                          response.mutable_result());
      if (!status.ok()) {
        response.mutable_error()->set_code(static_cast<int>(status.code()));
        response.mutable_error()->set_message(std::string(status.message()));
      } else if (response.result().status() != v1::UNCHANGED) {
        wrote = true;
      }
      answered = stream->Write(response);
    }
    if (!answered) {
      result = grpc::Status(grpc::StatusCode::CANCELLED, "client stopped reading results");
      break;
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    stop = true;
    changed.notify_all();
  }
  reader.join();
  for (std::thread& parser : parsers) parser.join();
  if (publisher_ != nullptr && wrote) publisher_->Nudge();
  return result;
}

grpc::Status IngestServiceImpl::DeleteDocument(
    grpc::ServerContext* context, const v1::DeleteDocumentRequest* request,
    v1::DeleteDocumentResponse* response) {
  if (absl::Status s = Authorize(*context, "DeleteDocument"); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<std::string> id = ParseDocumentName(request->name());
  if (!id.ok()) return ToGrpcStatus(id.status());
  absl::StatusOr<uint64_t> sequence = writer_->Delete(*id);
  if (!sequence.ok()) return ToGrpcStatus(sequence.status());
  response->set_commit_token(absl::StrCat(*sequence));
  spdlog::info("delete id={}", request->name());
  return grpc::Status::OK;
}

}  // namespace biocorpus

namespace biocorpus {

absl::StatusOr<DocumentWriter::RetagResult> IngestServiceImpl::Retag(
    bool force, const std::atomic<bool>* stop) {
  const auto start = std::chrono::steady_clock::now();
  const std::string& version = tagger_->vocabulary().version();
  absl::StatusOr<DocumentWriter::RetagResult> result = writer_->Retag(
      [this](v1::Document* document, std::vector<v1::Passage>* passages) {
        tagger_->Tag(document, passages);
      },
      version, force, stop);
  if (!result.ok()) {
    spdlog::error("retag failed: {}", result.status().ToString());
    return result;
  }
  spdlog::info("retag vocabulary={} examined={} retagged={} ms={:.0f}", version,
               result->examined, result->retagged,
               std::chrono::duration<double, std::milli>(
                   std::chrono::steady_clock::now() - start)
                   .count());
  return result;
}

grpc::Status IngestServiceImpl::RetagDocuments(
    grpc::ServerContext* context, const v1::RetagDocumentsRequest* request,
    v1::RetagDocumentsResponse* response) {
  if (absl::Status s = Authorize(*context, "RetagDocuments"); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<DocumentWriter::RetagResult> result = Retag(request->force(), nullptr);
  if (!result.ok()) return ToGrpcStatus(result.status());
  response->set_vocabulary_version(tagger_->vocabulary().version());
  response->set_documents_examined(result->examined);
  response->set_documents_retagged(result->retagged);
  response->set_commit_token(absl::StrCat(result->sequence));
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::PublishSnapshot(
    grpc::ServerContext* context, const v1::PublishSnapshotRequest* /*request*/,
    v1::PublishSnapshotResponse* response) {
  if (absl::Status s = Authorize(*context, "PublishSnapshot"); !s.ok()) return ToGrpcStatus(s);
  if (publisher_ == nullptr) {
    return ToGrpcStatus(absl::FailedPreconditionError(
        "snapshots are off: the ingest service runs without --snapshot_dir"));
  }
  absl::StatusOr<SnapshotInfo> info = publisher_->Publish();
  if (!info.ok()) return ToGrpcStatus(info.status());
  response->set_snapshot_id(info->id);
  response->set_commit_token(absl::StrCat(info->sequence));
  response->set_size_bytes(info->size_bytes);
  response->set_created(info->created);
  return grpc::Status::OK;
}

}  // namespace biocorpus
