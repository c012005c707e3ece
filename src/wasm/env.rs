//! The host's environment variables: `Deno.env` where the runtime is Deno (asked only where Deno
//! granted reading the variable, never prompting), else `process.env` (Node, Bun, and Workers with
//! `nodejs_compat`); none in browsers. Where they live is found once per isolate.

use std::cell::OnceCell;

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::reflect::{interned, member};

/// Where this runtime keeps its environment.
enum Source {
    Deno {
        deno: JsValue,
        get: Function,
        query: Option<Function>,
    },
    Process {
        env: JsValue,
    },
    None,
}

thread_local! {
    static SOURCE: OnceCell<Source> = const { OnceCell::new() };
}

fn source() -> Source {
    let global = js_sys::global();
    let deno = member(&global, "Deno");
    let env = member(&deno, "env");
    if let Ok(get) = member(&env, "get").dyn_into::<Function>() {
        let query = member(&member(&deno, "permissions"), "querySync")
            .dyn_into()
            .ok();
        return Source::Deno { deno, get, query };
    }
    match member(&member(&global, "process"), "env") {
        env if env.is_object() => Source::Process { env },
        _ => Source::None,
    }
}

/// The variable `name`, where the runtime has it and allows reading it.
pub fn var(name: &'static str) -> Option<String> {
    SOURCE.with(|cell| match cell.get_or_init(source) {
        Source::Deno { deno, get, query } => {
            if !granted(deno, query.as_ref()?, name) {
                return None;
            }
            get.call1(&member(deno, "env"), &interned(name))
                .ok()?
                .as_string()
        }
        Source::Process { env } => member(env, name).as_string(),
        Source::None => None,
    })
}

/// Whether the runtime keeps an environment but does not let the logger read `name` (Deno
/// without `--allow-env`).
pub fn denied(name: &str) -> bool {
    SOURCE.with(|cell| match cell.get_or_init(source) {
        Source::Deno {
            deno,
            query: Some(query),
            ..
        } => !granted(deno, query, name),
        _ => false,
    })
}

/// Whether Deno grants reading `name` (`Deno.permissions.querySync`, which never prompts).
fn granted(deno: &JsValue, query: &Function, name: &str) -> bool {
    let descriptor = Object::new();
    let described = Reflect::set(&descriptor, &"name".into(), &"env".into())
        .and_then(|_| Reflect::set(&descriptor, &"variable".into(), &name.into()));
    let permissions = member(deno, "permissions");
    described.is_ok()
        && query
            .call1(&permissions, &descriptor)
            .is_ok_and(|status| member(&status, "state").as_string().as_deref() == Some("granted"))
}
