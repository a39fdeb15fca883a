// Object management entry points (spec 5.7).
#include <algorithm>
#include <mutex>

#include "abi/guard.h"
#include "abi/audit_hooks.h"
#include "abi/marshal.h"
#include "object/object.h"

using namespace craton;
using craton::abi::to_rv;
using craton::abi::with_session;

CRATON_EXPORT CK_RV C_CreateObject(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                                   CK_OBJECT_HANDLE_PTR phObject) {
  return with_session(hSession, abi::audited("C_CreateObject", nullptr, abi::AuditSubject::produced(phObject),
      [&](token::Library&, token::Session& s) -> CK_RV {
    if (phObject == nullptr || pTemplate == nullptr) return CKR_ARGUMENTS_BAD;
    auto tmpl = abi::in_template(pTemplate, ulCount);
    if (!tmpl.ok()) return to_rv(tmpl, "C_CreateObject");
    std::unique_lock lock(s.mutex());
    if (s.closed) return CKR_SESSION_HANDLE_INVALID;
    auto h = s.token()->create_object(s.caller(), *tmpl);
    if (!h.ok()) return to_rv(h, "C_CreateObject");
    *phObject = *h;
    return CKR_OK;
  }));
}

CRATON_EXPORT CK_RV C_CopyObject(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE_PTR pTemplate,
                                 CK_ULONG ulCount, CK_OBJECT_HANDLE_PTR phNewObject) {
  return with_session(hSession, abi::audited("C_CopyObject", nullptr, abi::AuditSubject::produced(phNewObject),
      [&](token::Library&, token::Session& s) -> CK_RV {
    if (phNewObject == nullptr) return CKR_ARGUMENTS_BAD;
    auto tmpl = abi::in_template(pTemplate, ulCount);
    if (!tmpl.ok()) return to_rv(tmpl, "C_CopyObject");
    std::unique_lock lock(s.mutex());
    if (s.closed) return CKR_SESSION_HANDLE_INVALID;
    auto h = s.token()->copy_object(s.caller(), hObject, *tmpl);
    if (!h.ok()) return to_rv(h, "C_CopyObject");
    *phNewObject = *h;
    return CKR_OK;
  }));
}

CRATON_EXPORT CK_RV C_DestroyObject(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject) {
  return with_session(hSession, abi::audited("C_DestroyObject", nullptr, abi::AuditSubject::existing(hObject),
                                             [&](token::Library&, token::Session& s) -> CK_RV {
    return to_rv(s.token()->destroy_object(s.caller(), hObject), "C_DestroyObject");
  }));
}

CRATON_EXPORT CK_RV C_GetObjectSize(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ULONG_PTR pulSize) {
  return with_session(hSession, [&](token::Library&, token::Session& s) -> CK_RV {
    if (pulSize == nullptr) return CKR_ARGUMENTS_BAD;
    auto attrs = s.token()->attributes(s.caller(), hObject);
    if (!attrs.ok()) return to_rv(attrs, "C_GetObjectSize");
    *pulSize = object::approximate_size(**attrs);
    return CKR_OK;
  });
}

CRATON_EXPORT CK_RV C_GetAttributeValue(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,
                                        CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount) {
  return with_session(hSession, [&](token::Library&, token::Session& s) -> CK_RV {
    if (pTemplate == nullptr && ulCount != 0) return CKR_ARGUMENTS_BAD;
    auto view = s.token()->view(s.caller(), hObject);
    if (!view.ok()) return to_rv(view, "C_GetAttributeValue");
    return abi::write_attributes(*view->first, view->second, pTemplate, ulCount);
  });
}

CRATON_EXPORT CK_RV C_SetAttributeValue(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,
                                        CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount) {
  return with_session(hSession, abi::audited("C_SetAttributeValue", nullptr, abi::AuditSubject::existing(hObject),
      [&](token::Library&, token::Session& s) -> CK_RV {
    if (pTemplate == nullptr && ulCount != 0) return CKR_ARGUMENTS_BAD;
    auto tmpl = abi::in_template(pTemplate, ulCount);
    if (!tmpl.ok()) return to_rv(tmpl, "C_SetAttributeValue");
    return to_rv(s.token()->set_attributes(s.caller(), hObject, *tmpl), "C_SetAttributeValue");
  }));
}

CRATON_EXPORT CK_RV C_FindObjectsInit(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount) {
  return with_session(hSession, [&](token::Library&, token::Session& s) -> CK_RV {
    auto tmpl = abi::in_template(pTemplate, ulCount);
    if (!tmpl.ok()) return to_rv(tmpl, "C_FindObjectsInit");
    std::unique_lock lock(s.mutex());
    if (s.find) return CKR_OPERATION_ACTIVE;
    auto found = s.token()->find(s.caller(), *tmpl);
    if (!found.ok()) return to_rv(found, "C_FindObjectsInit");
    s.find = token::FindState{std::move(found).value(), 0};
    return CKR_OK;
  });
}

CRATON_EXPORT CK_RV C_FindObjects(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE_PTR phObject, CK_ULONG ulMaxObjectCount,
                                  CK_ULONG_PTR pulObjectCount) {
  return with_session(hSession, [&](token::Library&, token::Session& s) -> CK_RV {
    if (pulObjectCount == nullptr || (phObject == nullptr && ulMaxObjectCount != 0)) return CKR_ARGUMENTS_BAD;
    std::unique_lock lock(s.mutex());
    if (!s.find) return CKR_OPERATION_NOT_INITIALIZED;
    token::FindState& f = *s.find;
    const std::size_t n = std::min<std::size_t>(ulMaxObjectCount, f.results.size() - f.next);
    std::copy_n(f.results.begin() + static_cast<std::ptrdiff_t>(f.next), n, phObject);
    f.next += n;
    *pulObjectCount = n;
    return CKR_OK;
  });
}

CRATON_EXPORT CK_RV C_FindObjectsFinal(CK_SESSION_HANDLE hSession) {
  return with_session(hSession, [&](token::Library&, token::Session& s) -> CK_RV {
    std::unique_lock lock(s.mutex());
    if (!s.find) return CKR_OPERATION_NOT_INITIALIZED;
    s.find.reset();
    return CKR_OK;
  });
}
