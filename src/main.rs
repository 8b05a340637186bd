//! The web entry point; Trunk builds it for wasm32.

#[cfg(target_arch = "wasm32")]
fn main() {
    eks_lab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("eks-lab-web is the browser build; run `make serve`, or use the `ekslab` runner.");
}
