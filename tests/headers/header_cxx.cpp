/*
 * header_cxx.cpp — <cxsent.h> from C++ (headers.cxx): compiles with g++ -Werror -Wall -Wextra
 * -pedantic, and, linked against the library, finds every function under its C name (a missing
 * extern "C" would fail the link) and checks the version macros against the library.
 */
#include <cxsent.h>
#include <cxsent.h>

#include <cstdio>
#include <cstring>

int main()
{
    cxs_model *model = NULL;
    cxs_analyzer *an = NULL;
    cxs_result *res = NULL;
    cxs_error err;
    if (cxs_version() != CXS_VERSION_NUMBER) {
        std::printf("header %x, library %x\n", CXS_VERSION_NUMBER, cxs_version());
        return 1;
    }
    char expect[32];
    std::snprintf(expect, sizeof expect, "%d.%d.%d", CXS_VERSION_MAJOR, CXS_VERSION_MINOR,
                  CXS_VERSION_PATCH);
    if (std::strcmp(expect, cxs_version_string()) != 0)
        return 1;
    if (cxs_model_load_default(&model, NULL, &err) != CXS_OK ||
        cxs_analyzer_new(&an, model, &err) != CXS_OK || cxs_result_new(&res, model, &err) != CXS_OK)
        return 1;
    static const char text[] = "The staff were wonderful!";
    if (cxs_analyze(res, an, text, sizeof text - 1, &err) != CXS_OK ||
        cxs_result_label(res) != CXS_LABEL_POSITIVE)
        return 1;
    char json[512];
    size_t n = cxs_result_to_json(res, CXS_JSON_EXPLAIN, json, sizeof json);
    std::printf("%s\n", n < sizeof json ? json : "(long)");
    cxs_result_free(res);
    cxs_analyzer_free(an);
    cxs_model_free(model);
    return std::strcmp(cxs_label_name(CXS_LABEL_POSITIVE), "positive") == 0 ? 0 : 1;
}
