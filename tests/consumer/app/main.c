/* consumer — load the default model and score one text with an installed libcxsent; with an
 * argument, also load the installed model files (share/cxsent/default.model) and check that
 * they give the built-in model's result byte for byte (they are the same data). */
#include <cxsent.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    cxs_model *model = NULL;
    cxs_analyzer *an = NULL;
    cxs_result *res = NULL;
    cxs_error err;
    static const char text[] = "The staff were wonderful and the room was spotless!";
    int status = 1;

    if (cxs_version() != CXS_VERSION_NUMBER) {
        fprintf(stderr, "consumer: header %06x but library %06x\n", CXS_VERSION_NUMBER,
                cxs_version());
        return 1;
    }
    if (cxs_model_load_default(&model, NULL, &err) != CXS_OK ||
        cxs_analyzer_new(&an, model, &err) != CXS_OK ||
        cxs_result_new(&res, model, &err) != CXS_OK ||
        cxs_analyze(res, an, text, strlen(text), &err) != CXS_OK) {
        fprintf(stderr, "consumer: %s\n", err.message);
        goto done;
    }
    char json[1024];
    size_t n = cxs_result_to_json(res, 0, json, sizeof json);
    if (n >= sizeof json || cxs_result_label(res) != CXS_LABEL_POSITIVE ||
        cxs_result_scores(res)->compound <= 0.5) {
        fprintf(stderr, "consumer: unexpected result %s\n", json);
        goto done;
    }
    if (argc > 1) {
        cxs_model *file_model = NULL;
        cxs_analyzer *fan = NULL;
        cxs_result *fres = NULL;
        char fjson[1024];
        int ok = cxs_model_load(&file_model, argv[1], NULL, &err) == CXS_OK &&
                 cxs_analyzer_new(&fan, file_model, &err) == CXS_OK &&
                 cxs_result_new(&fres, file_model, &err) == CXS_OK &&
                 cxs_analyze(fres, fan, text, strlen(text), &err) == CXS_OK;
        if (!ok)
            fprintf(stderr, "consumer: %s: %s\n", argv[1], err.message);
        else if (cxs_result_to_json(fres, 0, fjson, sizeof fjson) != n || strcmp(fjson, json)) {
            fprintf(stderr, "consumer: the installed model gives %s\n", fjson);
            ok = 0;
        }
        cxs_result_free(fres);
        cxs_analyzer_free(fan);
        cxs_model_free(file_model);
        if (!ok)
            goto done;
    }
    printf("libcxsent %s: %s\n", cxs_version_string(), json);
    status = 0;
done:
    cxs_result_free(res);
    cxs_analyzer_free(an);
    cxs_model_free(model);
    return status;
}
