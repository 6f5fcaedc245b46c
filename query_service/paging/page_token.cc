#include "query_service/paging/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace biocorpus {

std::string EncodePageToken(absl::string_view kind, absl::string_view after) {
  if (after.empty()) return "";
  return absl::WebSafeBase64Escape(absl::StrCat(kind, "\n", after));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view kind,
                                            absl::string_view token) {
  if (token.empty()) return std::string();
  std::string raw;
  absl::string_view rest;
  if (absl::WebSafeBase64Unescape(token, &raw)) {
    rest = raw;
    if (absl::ConsumePrefix(&rest, kind) && absl::ConsumePrefix(&rest, "\n") &&
        !rest.empty()) {
      return std::string(rest);
    }
  }
  return absl::InvalidArgumentError(
      "page_token is not a token returned by this list call; start without "
      "one");
}

absl::StatusOr<int> EffectivePageSize(int page_size, int default_size,
                                      int max_size) {
  if (page_size < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size must not be negative, got ", page_size));
  }
  if (page_size == 0) return default_size;
  return page_size > max_size ? max_size : page_size;
}

absl::StatusOr<PageStart> StartPage(absl::string_view kind, int page_size,
                                    absl::string_view token, int default_size,
                                    int max_size) {
  absl::StatusOr<int> size = EffectivePageSize(page_size, default_size, max_size);
  if (!size.ok()) return size.status();
  absl::StatusOr<std::string> after = DecodePageToken(kind, token);
  if (!after.ok()) return after.status();
  return PageStart{*size, std::move(*after)};
}

}  // namespace biocorpus
