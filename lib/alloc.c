/* alloc.c — allocation through the per-model hooks (default: the C library). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static void *default_alloc(void *ctx, size_t size)
{
    (void)ctx;
    return malloc(size);
}

static void *default_resize(void *ctx, void *ptr, size_t old_size, size_t new_size)
{
    (void)ctx;
    (void)old_size;
    return realloc(ptr, new_size);
}

static void default_release(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    (void)size;
    free(ptr);
}

void cxs__alloc_init(cxs__alloc *a, const cxs_allocator *user)
{
    if (user && user->alloc && user->release) {
        a->hooks = *user;
    } else {
        a->hooks.alloc = default_alloc;
        a->hooks.resize = default_resize;
        a->hooks.release = default_release;
        a->hooks.ctx = NULL;
    }
}

void *cxs__malloc(const cxs__alloc *a, size_t size)
{
    if (size == 0)
        size = 1;
    return a->hooks.alloc(a->hooks.ctx, size);
}

void *cxs__calloc(const cxs__alloc *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = cxs__malloc(a, n * size);
    if (p)
        memset(p, 0, n * size > 0 ? n * size : 1);
    return p;
}

void *cxs__realloc(const cxs__alloc *a, void *ptr, size_t old_size, size_t new_size)
{
    if (!ptr)
        return cxs__malloc(a, new_size);
    if (new_size == 0)
        new_size = 1;
    if (a->hooks.resize)
        return a->hooks.resize(a->hooks.ctx, ptr, old_size, new_size);
    void *p = a->hooks.alloc(a->hooks.ctx, new_size);
    if (!p)
        return NULL;
    memcpy(p, ptr, old_size < new_size ? old_size : new_size);
    a->hooks.release(a->hooks.ctx, ptr, old_size);
    return p;
}

void cxs__free(const cxs__alloc *a, void *ptr, size_t size)
{
    if (ptr)
        a->hooks.release(a->hooks.ctx, ptr, size);
}

int cxs__grow(const cxs__alloc *a, void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return CXS_OK;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem)
            return CXS_ENOMEM;
        ncap *= 2;
    }
    void *p = cxs__realloc(a, *arr, *cap * elem, ncap * elem);
    if (!p)
        return CXS_ENOMEM;
    *arr = p;
    *cap = ncap;
    return CXS_OK;
}
