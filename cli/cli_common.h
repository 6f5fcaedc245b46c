#ifndef BIOCORPUS_CLI_CLI_COMMON_H_
#define BIOCORPUS_CLI_CLI_COMMON_H_

// What the commands of the biocorpus client share: the channel, parsing of
// enum flags, and printing.

#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "biocorpus/v1/resources.pb.h"
#include "google/protobuf/message.h"

namespace biocorpus::cli {

// Prints "biocorpus: <message>" on stderr; returns the exit code 2.
int Fail(const std::string& message);

// DOCUMENT_FORMAT_UNSPECIFIED for "", else the format named (any case).
bool ParseFormat(const std::string& name, v1::DocumentFormat* format);
bool ParseCategory(const std::string& name, v1::ConceptCategory* category);

// `message` as indented JSON with the proto field names.
std::string Json(const google::protobuf::Message& message);

// The first `max_chars` code points of `text`, with "..." when cut.
std::string Shorten(const std::string& text, size_t max_chars);

// The files the arguments after the command name: files as given, folders
// read recursively in name order (hidden files skipped). Empty with `error`
// set when one does not exist.
std::vector<std::filesystem::path> ExpandPaths(const std::vector<char*>& args,
                                               std::string* error);

// A channel to --target (with TLS when --tls_ca_file is given); `with_token`
// adds the ingest token to every call.
std::shared_ptr<grpc::Channel> Connect(bool with_token = false);

// One line for a passage: its name, type, tags and the start of its text.
void PrintPassage(const v1::Passage& p);

// The commands; each returns the process's exit code.
int Ingest(const std::vector<char*>& args);
int Delete(const std::vector<char*>& args);
int Retag();
int Publish();
int Get(const std::vector<char*>& args);
int ListDocuments();
int ListPassages(const std::vector<char*>& args);
int Search();
int Tags();
int Summary();
int Cite();
int Citing();
int References(const std::vector<char*>& args);
int Counts();
int Cooccur();
int Trends();
int Significant();
int Export(const std::vector<char*>& args);

}  // namespace biocorpus::cli

#endif  // BIOCORPUS_CLI_CLI_COMMON_H_
