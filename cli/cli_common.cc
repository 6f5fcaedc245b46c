// Shared helpers of the biocorpus client (cli_common.h).

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "biocorpus/v1/ingest_service.grpc.pb.h"
#include "biocorpus/v1/query_service.grpc.pb.h"
#include "corpus/rpc/bearer_token.h"
#include "corpus/rpc/tls.h"
#include "cli/cli_common.h"
#include "cli/cli_flags.h"

namespace biocorpus::cli {
namespace fs = std::filesystem;

int Fail(const std::string& message) {
  std::cerr << "biocorpus: " << message << "\n";
  return 2;
}

bool ParseFormat(const std::string& name, v1::DocumentFormat* format) {
  if (name.empty()) {
    *format = v1::DOCUMENT_FORMAT_UNSPECIFIED;
    return true;
  }
  return v1::DocumentFormat_Parse(absl::AsciiStrToUpper(name), format);
}

std::string Json(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  google::protobuf::util::MessageToJsonString(message, &out, options)
      .ok();
  return out;
}

// The first `max_chars` code points of `text`, with "..." when cut.
std::string Shorten(const std::string& text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars++ == max_chars) return text.substr(0, i) + "...";
  }
  return text;
}

std::vector<std::filesystem::path> ExpandPaths(const std::vector<char*>& args,
                                  std::string* error) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (size_t i = 2; i < args.size(); ++i) {
    const fs::path path(args[i]);
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> found;
      for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
        if (entry.is_regular_file() &&
            entry.path().filename().string().front() != '.') {
          found.push_back(entry.path());
        }
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, ec)) {
      files.push_back(path);
    } else {
      *error = absl::StrCat(path.string(), ": no such file or directory");
      return {};
    }
  }
  return files;
}

// A channel to --target; `with_token` adds the ingest token to every call.
std::shared_ptr<grpc::Channel> Connect(bool with_token) {
  grpc::ChannelArguments arguments;
  arguments.SetMaxSendMessageSize(256 << 20);
  arguments.SetMaxReceiveMessageSize(64 << 20);
  std::string token;
  if (with_token) {
    absl::StatusOr<std::string> loaded =
        biocorpus::LoadIngestToken(absl::GetFlag(FLAGS_token_file));
    if (!loaded.ok()) {
      std::cerr << "biocorpus: " << loaded.status().message() << "\n";
    } else {
      token = *loaded;
    }
  }
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      biocorpus::ChannelCredentialsFromFiles(absl::GetFlag(FLAGS_tls_ca_file),
                                             absl::GetFlag(FLAGS_tls_cert_file),
                                             absl::GetFlag(FLAGS_tls_key_file));
  if (!credentials.ok()) {
    std::cerr << "biocorpus: " << credentials.status().message() << "\n";
    std::exit(2);
  }
  return biocorpus::CreateChannelWithToken(absl::GetFlag(FLAGS_target), token, *credentials,
                                           arguments);
}


bool ParseCategory(const std::string& name, v1::ConceptCategory* category) {
  if (name.empty()) {
    *category = v1::CONCEPT_CATEGORY_UNSPECIFIED;
    return true;
  }
  return v1::ConceptCategory_Parse(absl::AsciiStrToUpper(name), category);
}

void PrintPassage(const v1::Passage& p) {
  std::cout << p.name() << "  " << v1::PassageType_Name(p.type()) << "  "
            << Shorten(p.text(), 90) << "\n";
  for (const v1::Annotation& a : p.annotations()) {
    std::cout << "      tag [" << a.span().start_char() << "," << a.span().end_char()
              << ") \"" << a.text() << "\" " << a.concept() << "\n";
  }
}

}  // namespace biocorpus::cli
