#pragma once
// The admin's files (generator/admin/assets/: templates/, i18n/, static/), compiled into the binary
// at configure time (CMakeLists.txt), so serve needs no asset folder beside it.
#include <cstddef>

namespace clemency {

struct AdminAsset {
  const char* path;  // relative to generator/admin/assets/, e.g. "templates/edit.mustache"
  const char* text;
};
extern const AdminAsset kAdminAssets[];
extern const size_t kAdminAssetCount;

}  // namespace clemency
