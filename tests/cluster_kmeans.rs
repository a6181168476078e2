//! Online k-means: recovers well-separated groups (adjusted Rand index near 1), keeps its
//! cluster ids stable as more data arrives, and the ARI behaves at its known values.

use leadstream::learn::cluster::{adjusted_rand_index, OnlineKMeans};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

const CENTRES: [[f64; 3]; 4] = [
    [0.0, 0.0, 0.0],
    [6.0, 0.0, 1.0],
    [0.0, 6.0, -1.0],
    [6.0, 6.0, 3.0],
];

fn point(rng: &mut Pcg64Mcg, g: usize) -> [f64; 3] {
    let mut p = CENTRES[g];
    for v in &mut p {
        *v += rng.random::<f64>() - 0.5;
    }
    p
}

#[test]
fn recovers_separated_groups_and_keeps_ids_stable() {
    let mut rng = Pcg64Mcg::seed_from_u64(21);
    let mut km = OnlineKMeans::new(4, 3, 200, 0.0, 4).unwrap();
    for _ in 0..4000 {
        let g = rng.random_range(0..4);
        let p = point(&mut rng, g);
        km.learn_one(&p);
    }
    let (mut truth, mut learned) = (Vec::new(), Vec::new());
    let mut ids_before = Vec::new();
    for (g, centre) in CENTRES.iter().enumerate() {
        ids_before.push(km.predict_one(centre));
        for _ in 0..100 {
            truth.push(g);
            learned.push(km.predict_one(&point(&mut rng, g)));
        }
    }
    let ari = adjusted_rand_index(&truth, &learned);
    assert!(ari > 0.95, "ARI {ari}");
    for _ in 0..4000 {
        let g = rng.random_range(0..4);
        let p = point(&mut rng, g);
        km.learn_one(&p);
    }
    let ids_after: Vec<usize> = CENTRES.iter().map(|c| km.predict_one(c)).collect();
    assert_eq!(ids_before, ids_after, "cluster ids moved");
    let names = ["a", "b", "c"];
    assert!(km.describe(ids_after[3], &names).contains("high"));
}

#[test]
fn adjusted_rand_index_known_values() {
    assert_eq!(
        adjusted_rand_index(&[0, 0, 1, 1, 2, 2], &[1, 1, 2, 2, 0, 0]),
        1.0
    );
    let ari = adjusted_rand_index(&[0, 0, 0, 1, 1, 1], &[0, 0, 1, 1, 2, 2]);
    // scikit-learn: adjusted_rand_score([0,0,0,1,1,1],[0,0,1,1,2,2]) = 0.24242424...
    assert!((ari - 0.242_424_242_424_242_4).abs() < 1e-12, "{ari}");
}
