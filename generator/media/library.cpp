#include "media/library.h"

#include <algorithm>

#include "core/text.h"

namespace clemency::media {

const std::vector<std::string>& ConsentBases() {
  static const std::vector<std::string> kBases = {"no-person", "personal", "published-report"};
  return kBases;
}

Result<std::unique_ptr<MediaLibrary>> MediaLibrary::Open(const std::string& store_path) {
  auto store = Store::Open(store_path);
  if (!store.ok()) return store.status();
  return std::make_unique<MediaLibrary>(std::move(store).value());
}

FormProblems CheckForm(const UploadForm& form, const std::vector<std::string>& languages) {
  FormProblems problems;
  if (form.bytes.empty()) problems["file"] = "media_file_missing";
  for (const auto& lang : languages) {
    auto it = form.alt.find(lang);
    if (it == form.alt.end() || Trim(it->second).empty()) problems["alt." + lang] = "media_alt_missing";
  }
  const auto& bases = ConsentBases();
  if (std::find(bases.begin(), bases.end(), form.consent_basis) == bases.end()) {
    problems["consent_basis"] = "media_consent_missing";
  } else if (form.consent_basis == "personal" && Trim(form.consent_given_by).empty()) {
    problems["consent_given_by"] = "media_consent_given_by_missing";
  }
  return problems;
}

Result<MediaRow> MediaLibrary::Upload(const UploadForm& form,
                                      const std::vector<std::string>& languages,
                                      FormProblems* problems) {
  *problems = CheckForm(form, languages);
  if (!problems->empty()) return Status::Error("the upload form has problems");
  auto image = ProcessUpload(form.bytes);
  if (!image.ok()) {
    std::string code = ImageProblemCode(image.status());
    (*problems)["file"] = code.empty() ? "media_damaged" : code;
    return image.status();
  }
  MediaRow row;
  row.hash = image->name.hash;
  row.path = paths::MediaFile(image->name);
  row.width = image->name.width;
  row.height = image->name.height;
  for (const auto& lang : languages) row.alt[lang] = std::string(Trim(form.alt.at(lang)));
  row.alt_search = form.alt_search;
  row.caption = std::string(Trim(form.caption));
  row.credit = std::string(Trim(form.credit));
  row.consent_basis = form.consent_basis;
  row.consent_given_by = form.consent_basis == "personal" ? std::string(Trim(form.consent_given_by)) : "";
  row.uploaded_by = form.user;
  row.uploaded_at = form.now;
  std::vector<MediaFileRow> files;
  for (const auto& file : image->files) files.push_back({paths::MediaFile(file.name), file.bytes});
  std::lock_guard<std::mutex> lock(mutex_);
  MediaRepository repository(store_.get());
  auto id = repository.Insert(row, files);
  if (!id.ok()) return id.status();
  auto stored = repository.FindByHash(row.hash);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return Status::Error("store: the image was not stored");
  return std::move(**stored);
}

Result<std::vector<MediaRow>> MediaLibrary::List(const std::string& folded_query, int limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  return MediaRepository(store_.get()).List(folded_query, limit);
}

Result<bool> MediaLibrary::Delete(const std::string& hash, std::vector<MediaUse>* uses) {
  std::lock_guard<std::mutex> lock(mutex_);
  return MediaRepository(store_.get()).DeleteUnused(hash, uses);
}

Result<std::optional<std::string>> MediaLibrary::FileBytes(const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  return MediaRepository(store_.get()).FileBytes(path);
}

}  // namespace clemency::media
