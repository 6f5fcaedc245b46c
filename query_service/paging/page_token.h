#ifndef BIOCORPUS_QUERY_SERVICE_PAGING_PAGE_TOKEN_H_
#define BIOCORPUS_QUERY_SERVICE_PAGING_PAGE_TOKEN_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace biocorpus {

// Page tokens are opaque to clients: a kind tag and the last key a page
// returned, base64url-encoded. Because they name a key rather than a
// position, they stay valid while documents are added.

// The token for a page of `kind` ("documents", "passages:{id}") that ended
// at `after`.
std::string EncodePageToken(absl::string_view kind, absl::string_view after);

// The `after` key of a token made for `kind`; "" for an empty token.
// InvalidArgument for a token that is not one, or was made for another list.
absl::StatusOr<std::string> DecodePageToken(absl::string_view kind,
                                            absl::string_view token);

// The page size to use for a request's `page_size` (AIP-158): 0 gives
// `default_size`, values over `max_size` give `max_size`, negative values are
// InvalidArgument.
absl::StatusOr<int> EffectivePageSize(int page_size, int default_size,
                                      int max_size);

// Where a page starts: its size and the key after which it begins.
struct PageStart {
  int size = 0;
  std::string after;
};

// The page a request asks for: EffectivePageSize(page_size, default_size,
// max_size) and the `after` key of `token` (made for `kind`).
absl::StatusOr<PageStart> StartPage(absl::string_view kind, int page_size,
                                    absl::string_view token, int default_size,
                                    int max_size);

}  // namespace biocorpus

#endif  // BIOCORPUS_QUERY_SERVICE_PAGING_PAGE_TOKEN_H_
